import { refusal } from '../../support/refusal';
import { ACCOUNT_URN, LOCALIZATION_URN } from '../../../src/domain/account/account';
import { applyAccountRules, type AccountPolicy, type WriteKind } from '../../../src/domain/account/account-rules';
import { ScimError } from '../../../src/scim/errors';
import type { JsonObject } from '../../../src/scim/values/json';

const refusalDetail = (run: () => unknown, status: number, scimType: string) => refusal(run, status, scimType).detail;

/**
 * applyAccountRules puts every rule together and decides what a write stores. A POST states
 * everything; a PUT may leave out the Account extension (or `active`), which then keeps its
 * value; a PATCH draft is the current user with the operations applied.
 */
const NOW = '2030-06-01T12:00:00.000Z';
const EARLIER = '2020-01-01T00:00:00.000Z';
const POLICY: AccountPolicy = { maxRoles: 25, usernameImmutable: false };

const person: JsonObject = { userName: 'ada', name: { givenName: 'Ada', familyName: 'Lovelace' }, emails: [{ value: 'ada@example.com' }] };
/** A user's attributes: the person, plus `active` and the Account extension when given. */
const user = (account?: JsonObject, active?: boolean, extra: JsonObject = {}): JsonObject => ({
  ...person,
  ...extra,
  ...(active === undefined ? {} : { active }),
  ...(account ? { [ACCOUNT_URN]: account } : {}),
});
/** A stored user, as the rules would have stored it. */
const stored = (status: string, accountType = 'Internal', extra: JsonObject = {}): JsonObject => user({
  status, accountType, ...extra,
  ...(status === 'Active' || status === 'Inactive' ? { activatedAt: EARLIER } : {}),
  ...(status === 'Inactive' ? { deactivatedAt: EARLIER } : {}),
}, status === 'Active');

const apply = (current: JsonObject | undefined, draft: JsonObject, kind: WriteKind, policy = POLICY) => applyAccountRules(current, draft, kind, policy, NOW);
const accountOf = (data: JsonObject) => data[ACCOUNT_URN] as JsonObject;


describe('a new user', () => {
  it('is an Internal account, Active at once, with activatedAt set', () => {
    const data = apply(undefined, user(), 'create');
    expect(data.active).toBe(true);
    expect(accountOf(data)).toEqual({ status: 'Active', accountType: 'Internal', activatedAt: NOW });
  });

  it('created with active: false is Created, without timestamps', () => {
    const data = apply(undefined, user(undefined, false), 'create');
    expect([data.active, accountOf(data)]).toEqual([false, { status: 'Created', accountType: 'Internal' }]);
  });

  it('may be created OneTimeCompletion', () => {
    expect(accountOf(apply(undefined, user({ accountType: 'OneTimeCompletion' }), 'create')).accountType).toBe('OneTimeCompletion');
  });

  it('keeps every other attribute as sent', () => {
    const draft = user({ accountType: 'External' }, true, { title: 'Countess', [LOCALIZATION_URN]: { dateTimeFormat: 'd/m/Y' } });
    const data = apply(undefined, draft, 'create');
    expect(data).toMatchObject({ ...person, title: 'Countess', [LOCALIZATION_URN]: { dateTimeFormat: 'd/m/Y' } });
  });

  it.each([
    ['status', { status: 'pENDING' }, { status: 'Pending' }],
    ['accountType', { accountType: 'configadmin' }, { accountType: 'ConfigAdmin' }],
  ])('has its %s matched without regard to case and stored canonically', (_label, account, expected) => {
    expect(accountOf(apply(undefined, user(account, undefined), 'create'))).toMatchObject(expected);
  });

  it.each([
    ['status', { status: 'Enabled' }, 'status must be one of Created, Pending, Active, Inactive, not "Enabled"'],
    ['accountType', { accountType: 'Admin' }, 'accountType must be one of Internal, External, ConfigAdmin, SuperAdmin, OneTimeCompletion, not "Admin"'],
  ])('is refused with an unknown %s, listing the allowed values', (_label, account, detail) => {
    expect(refusalDetail(() => apply(undefined, user(account), 'create'), 400, 'invalidValue')).toBe(detail);
  });
});

describe('a PUT (replace)', () => {
  it('that leaves out the Account extension and active keeps status, type, roles and timestamps', () => {
    const current = stored('Active', 'ConfigAdmin', { roles: ['audit'] });
    const data = apply(current, user(undefined, undefined, { title: 'new' }), 'replace');
    expect(data.active).toBe(true);
    expect(accountOf(data)).toEqual(accountOf(current));
    expect(data.title).toBe('new');
  });

  it.each([
    ['status', { accountType: 'ConfigAdmin', roles: ['audit'] }],
    ['accountType', { status: 'Active', roles: ['audit'] }],
    ['roles', { status: 'Active', accountType: 'ConfigAdmin' }],
  ])('that leaves out only %s keeps it', (_missing, account) => {
    const current = stored('Active', 'ConfigAdmin', { roles: ['audit'] });
    expect(accountOf(apply(current, user(account, true), 'replace'))).toEqual(accountOf(current));
  });

  it.each(['Created', 'Pending', 'Inactive'])('that leaves out active keeps a %s account as it is', (status) => {
    const current = stored(status);
    const data = apply(current, user(), 'replace');
    expect([data.active, accountOf(data).status]).toEqual([false, status]);
  });

  it('stating active: false deactivates', () => {
    const data = apply(stored('Active'), user(undefined, false), 'replace');
    expect([data.active, accountOf(data)]).toEqual([false, { status: 'Inactive', accountType: 'Internal', activatedAt: EARLIER, deactivatedAt: NOW }]);
  });

  it('treats a status equal to the current one as an echo: active decides', () => {
    const data = apply(stored('Active'), user({ status: 'Active' }, false), 'replace');
    expect([data.active, accountOf(data).status]).toEqual([false, 'Inactive']);
  });

  it.each([
    ['Active', { status: 'Inactive' }, true],
    ['Pending', { status: 'Active' }, false],
  ])('refuses, on a %s account, status %j stated with active: %s (a contradiction, not a choice)', (from, account, active) => {
    expect(refusalDetail(() => apply(stored(from), user(account, active), 'replace'), 400, 'invalidValue')).toContain('contradicts');
  });

  it('clears roles stated as an empty list', () => {
    const current = stored('Active', 'ConfigAdmin', { roles: ['audit'] });
    const data = apply(current, user({ accountType: 'Internal', roles: [] }), 'replace');
    expect(accountOf(data)).not.toHaveProperty('roles');
    expect(accountOf(data).accountType).toBe('Internal');
  });
});

describe('a PATCH', () => {
  it('may change status while the draft still carries the current active', () => {
    const current = stored('Active');
    const draft = { ...current, [ACCOUNT_URN]: { ...accountOf(current), status: 'Inactive' } };
    const data = apply(current, draft, 'patch');
    expect([data.active, accountOf(data).status, accountOf(data).deactivatedAt]).toEqual([false, 'Inactive', NOW]);
  });

  it('may change active while the draft still carries the current status', () => {
    const current = stored('Active');
    const data = apply(current, { ...current, active: false }, 'patch');
    expect([data.active, accountOf(data).status]).toEqual([false, 'Inactive']);
  });

  it('that removes roles clears them', () => {
    const current = stored('Active', 'ConfigAdmin', { roles: ['audit'] });
    const draft = { ...current, [ACCOUNT_URN]: { status: 'Active', accountType: 'ConfigAdmin' } };
    expect(accountOf(apply(current, draft, 'patch'))).not.toHaveProperty('roles');
  });

  it('that removes active or the whole extension changes nothing of the account', () => {
    const current = stored('Inactive', 'External');
    const { active: _a, [ACCOUNT_URN]: _x, ...draft } = current;
    const data = apply(current, draft, 'patch');
    expect([data.active, accountOf(data)]).toEqual([false, accountOf(current)]);
  });
});

describe('leaving OneTimeCompletion', () => {
  type Row = [string, string, WriteKind, JsonObject, boolean | undefined, string];
  const rows: Row[] = [
    ['an Active account, type only (PATCH)', 'Active', 'patch', { accountType: 'Internal', status: 'Active' }, true, 'Created'],
    ['an Active account, type only (PUT)', 'Active', 'replace', { accountType: 'Internal' }, undefined, 'Created'],
    ['an Active account, PUT stating active: true', 'Active', 'replace', { accountType: 'Internal' }, true, 'Active'],
    // A PUT echoing the current status asks for nothing (a GET-modify-PUT client sends it back).
    ['an Active account, PUT echoing status Active', 'Active', 'replace', { accountType: 'Internal', status: 'Active' }, undefined, 'Created'],
    ['a Pending account, status → Active in the same PATCH', 'Pending', 'patch', { accountType: 'External', status: 'Active' }, false, 'Active'],
    ['a Pending account, active: true in the same PATCH', 'Pending', 'patch', { accountType: 'External', status: 'Pending' }, true, 'Active'],
    ['a Pending account, type only', 'Pending', 'patch', { accountType: 'External', status: 'Pending' }, false, 'Created'],
    ['an Inactive account, type only', 'Inactive', 'replace', { accountType: 'SuperAdmin' }, undefined, 'Created'],
    ['an Active account deactivated in the same request', 'Active', 'replace', { accountType: 'Internal' }, false, 'Created'],
  ];

  it.each(rows)('%s → %s', (_label, from, kind, account, active, to) => {
    const current = stored(from, 'OneTimeCompletion');
    const data = apply(current, user(account, active), kind);
    expect(accountOf(data).status).toBe(to);
    expect(data.active).toBe(to === 'Active');
    expect(accountOf(data).accountType).toBe(account.accountType);
  });

  it('back in Created, keeps the timestamps it had: it neither became Active nor Inactive', () => {
    const current = stored('Active', 'OneTimeCompletion');
    const data = apply(current, user({ accountType: 'Internal' }, false), 'replace');
    expect(accountOf(data)).toEqual({ status: 'Created', accountType: 'Internal', activatedAt: EARLIER });
  });

  it('an account stored without status but active counts as already Active: a type-only PATCH puts it in Created', () => {
    const current = user({ accountType: 'OneTimeCompletion' }, true);
    const data = apply(current, user({ accountType: 'Internal' }, true), 'patch');
    expect([data.active, accountOf(data).status]).toEqual([false, 'Created']);
  });

  it('staying OneTimeCompletion changes no status', () => {
    const current = stored('Active', 'OneTimeCompletion');
    expect(accountOf(apply(current, user({ accountType: 'OneTimeCompletion' }), 'replace')).status).toBe('Active');
  });

  it('no other type may become OneTimeCompletion', () => {
    expect(refusalDetail(() => apply(stored('Active'), user({ accountType: 'OneTimeCompletion' }), 'replace'), 400, 'invalidValue'))
      .toContain('cannot change from Internal to OneTimeCompletion');
  });
});

describe('roles', () => {
  it('are refused beyond the policy maximum', () => {
    const draft = user({ accountType: 'ConfigAdmin', roles: ['a', 'b', 'c', 'd'] });
    expect(refusalDetail(() => apply(undefined, draft, 'create', { maxRoles: 3, usernameImmutable: false }), 400, 'invalidValue')).toContain('at most 3 roles');
  });

  it('a ConfigAdmin with roles made Internal by a PUT that leaves roles out keeps them, and is refused', () => {
    const current = stored('Active', 'ConfigAdmin', { roles: ['audit'] });
    expect(refusalDetail(() => apply(current, user({ accountType: 'Internal' }), 'replace'), 400, 'invalidValue')).toContain('also clear its roles');
  });
});

describe('the other rules are applied on every kind of write', () => {
  it.each(['create', 'replace', 'patch'] as WriteKind[])('%s: required identity and localization', (kind) => {
    const current = kind === 'create' ? undefined : stored('Active');
    expect(refusalDetail(() => apply(current, { ...person, emails: [] }, kind), 400, 'invalidValue')).toContain('emails');
    expect(refusalDetail(() => apply(current, { ...person, timezone: 'Nowhere/Special' }, kind), 400, 'invalidValue')).toContain('timezone');
  });

  it.each(['replace', 'patch'] as WriteKind[])('%s: an immutable userName', (kind) => {
    const policy = { maxRoles: 25, usernameImmutable: true };
    expect(refusalDetail(() => apply(stored('Active'), { ...person, userName: 'grace' }, kind, policy), 400, 'mutability')).toContain('USERNAME_IMMUTABLE');
    expect(() => apply(stored('Active'), { ...person }, kind, policy)).not.toThrow();
  });
});
