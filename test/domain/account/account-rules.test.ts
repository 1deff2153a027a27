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
const POLICY: AccountPolicy = { maxRoles: 25, usernameImmutable: false, requiredUserAttributes: ['name.givenName', 'name.familyName', 'emails'], usernameFormat: 'any' };

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

describe('leaving OneTimeCompletion (004: the account goes to Created or Pending)', () => {
  type Row = [string, string, WriteKind, JsonObject, boolean | undefined, string];
  const rows: Row[] = [
    ['an Active account, status Pending in the same PATCH', 'Active', 'patch', { accountType: 'Internal', status: 'Pending' }, true, 'Pending'],
    ['an Active account, status Pending in the same PUT', 'Active', 'replace', { accountType: 'Internal', status: 'Pending' }, undefined, 'Pending'],
    ['an Active account, status Created in the same PATCH', 'Active', 'patch', { accountType: 'Internal', status: 'Created' }, true, 'Created'],
    ['a Pending account, status Created (otherwise not allowed from Pending)', 'Pending', 'patch', { accountType: 'External', status: 'Created' }, false, 'Created'],
    ['an Inactive account, status Pending (otherwise not allowed from Inactive)', 'Inactive', 'replace', { accountType: 'SuperAdmin', status: 'Pending' }, undefined, 'Pending'],
    ['an Active account, PUT stating active: true', 'Active', 'replace', { accountType: 'Internal' }, true, 'Active'],
    // A PUT is the whole desired state: status Active there says the account stays Active.
    ['an Active account, PUT stating status Active', 'Active', 'replace', { accountType: 'Internal', status: 'Active' }, undefined, 'Active'],
    ['a Pending account, status → Active in the same PATCH', 'Pending', 'patch', { accountType: 'External', status: 'Active' }, false, 'Active'],
    ['a Pending account, active: true in the same PATCH', 'Pending', 'patch', { accountType: 'External', status: 'Pending' }, true, 'Active'],
    ['a Created account, type only', 'Created', 'patch', { accountType: 'External', status: 'Created' }, false, 'Created'],
    ['a Pending account, type only', 'Pending', 'patch', { accountType: 'External', status: 'Pending' }, false, 'Created'],
    ['an Inactive account, type only', 'Inactive', 'replace', { accountType: 'SuperAdmin' }, undefined, 'Created'],
    ['an Active account deactivated in the same request', 'Active', 'replace', { accountType: 'Internal' }, false, 'Created'],
    ['an Active account deactivated by a PUT echoing status Active', 'Active', 'replace', { accountType: 'Internal', status: 'Active' }, false, 'Created'],
  ];

  it.each(rows)('%s (from %s) ends %s', (_label, from, kind, account, active, to) => {
    const current = stored(from, 'OneTimeCompletion');
    const data = apply(current, user(account, active), kind);
    expect(accountOf(data).status).toBe(to);
    expect(data.active).toBe(to === 'Active');
    expect(accountOf(data).accountType).toBe(account.accountType);
  });

  it.each([
    ['a PATCH', 'patch', { accountType: 'Internal', status: 'Active' }, true],
    ['a PUT', 'replace', { accountType: 'Internal' }, undefined],
  ] as [string, WriteKind, JsonObject, boolean | undefined][])(
    'an Active account changing only its type through %s is refused, not silently deactivated: 400 saying how to choose', (_label, kind, account, active) => {
      const detail = refusalDetail(() => apply(stored('Active', 'OneTimeCompletion'), user(account, active), kind), 400, 'invalidValue');
      expect(detail).toBe('This account is Active and OneTimeCompletion: becoming Internal moves it to Created or Pending, so say which in the same request '
        + 'with status "Created" (no activation email) or status "Pending" (activation email sent); to keep it Active, state active: true in a PUT');
    });

  it('an account stored without status but active counts as Active: a type-only PATCH is refused', () => {
    const current = user({ accountType: 'OneTimeCompletion' }, true);
    expect(refusalDetail(() => apply(current, user({ accountType: 'Internal' }, true), 'patch'), 400, 'invalidValue')).toContain('say which');
  });

  it('status Inactive is refused: the account goes to Created or Pending', () => {
    const detail = refusalDetail(() => apply(stored('Active', 'OneTimeCompletion'), user({ accountType: 'External', status: 'Inactive' }), 'replace'), 400, 'invalidValue');
    expect(detail).toBe('A OneTimeCompletion account that becomes External goes to Created or Pending, not Inactive: state status "Created" or "Pending" instead');
  });

  it('active: true beside status Pending is a contradiction, as everywhere', () => {
    const detail = refusalDetail(() => apply(stored('Created', 'OneTimeCompletion'), user({ accountType: 'External', status: 'Pending' }, true), 'replace'), 400, 'invalidValue');
    expect(detail).toContain('contradicts');
  });

  it.each(['Created', 'Pending'])('going to %s, keeps the timestamps it had: it neither became Active nor Inactive', (status) => {
    const current = stored('Active', 'OneTimeCompletion');
    const data = apply(current, user({ accountType: 'Internal', status }), 'replace');
    expect(accountOf(data)).toEqual({ status, accountType: 'Internal', activatedAt: EARLIER });
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
  const core = (...values: string[]) => values.map((value) => ({ value }));
  const rolesOf = (data: JsonObject) => [data.roles, accountOf(data).roles];

  it.each([
    ['core roles', { roles: core('audit', 'billing') }],
    ['Account roles', {}],
  ])('a ConfigAdmin created with %s is stored with both, in agreement', (_label, extra) => {
    const draft = user({ accountType: 'ConfigAdmin', ...('roles' in extra ? {} : { roles: ['audit', 'billing'] }) }, true, extra);
    expect(rolesOf(apply(undefined, draft, 'create'))).toEqual([core('audit', 'billing'), ['audit', 'billing']]);
  });

  it.each([
    ['30 core roles on an Internal account', 'Internal', 30, 'An account can have at most 25 roles; this request gives it 30'],
    ['a core role on an Internal account', 'Internal', 1, 'Only ConfigAdmin accounts have roles; this account is Internal'],
    ['26 core roles on a ConfigAdmin', 'ConfigAdmin', 26, 'An account can have at most 25 roles; this request gives it 26'],
  ])('%s is refused as Account roles are', (_label, accountType, count, detail) => {
    const draft = user({ accountType }, true, { roles: core(...Array.from({ length: count }, (_, i) => `role-${i}`)) });
    expect(refusalDetail(() => apply(undefined, draft, 'create'), 400, 'invalidValue')).toBe(detail);
  });

  it('a PATCH adding an Account role keeps the display, type and primary of the core roles that stay', () => {
    const current = stored('Active', 'ConfigAdmin', { roles: ['audit'] });
    current.roles = [{ value: 'audit', display: 'Auditor', type: 'WindowsAzureActiveDirectoryRole', primary: true }];
    const draft = { ...current, [ACCOUNT_URN]: { ...accountOf(current), roles: ['audit', 'billing'] } };
    expect(rolesOf(apply(current, draft, 'patch'))).toEqual([
      [{ value: 'audit', display: 'Auditor', type: 'WindowsAzureActiveDirectoryRole', primary: true }, { value: 'billing' }], ['audit', 'billing'],
    ]);
  });

  it('a ConfigAdmin made Internal by a PATCH that removes its core roles loses both', () => {
    const current = { ...stored('Active', 'ConfigAdmin', { roles: ['audit'] }), roles: core('audit') };
    const { roles: _r, ...draft } = { ...current, [ACCOUNT_URN]: { ...accountOf(current), accountType: 'Internal' } };
    const data = apply(current, draft, 'patch');
    expect(rolesOf(data)).toEqual([undefined, undefined]);
    expect(accountOf(data).accountType).toBe('Internal');
  });

  describe('a user stored before the rules covered core roles', () => {
    const legacy = () => ({ ...stored('Active', 'Internal'), roles: core('x', 'y') });

    it('may still be deactivated: its roles are kept, now in agreement', () => {
      const data = apply(legacy(), { ...legacy(), active: false }, 'patch');
      expect([data.active, ...rolesOf(data)]).toEqual([false, core('x', 'y'), ['x', 'y']]);
    });

    it('may lose a role', () => {
      expect(rolesOf(apply(legacy(), { ...legacy(), roles: core('x') }, 'patch'))).toEqual([core('x'), ['x']]);
    });

    it('may not gain one', () => {
      expect(refusalDetail(() => apply(legacy(), { ...legacy(), roles: core('x', 'y', 'z') }, 'patch'), 400, 'invalidValue'))
        .toBe('Only ConfigAdmin accounts have roles; this account is Internal');
    });
  });

  it('MAX_ROLES lowered below what an account has: it may lose roles, not gain any', () => {
    const current = stored('Active', 'ConfigAdmin', { roles: ['a', 'b', 'c', 'd', 'e'] });
    const policy = { ...POLICY, maxRoles: 3 };
    const withRoles = (roles: string[]) => ({ ...current, [ACCOUNT_URN]: { ...accountOf(current), roles } });
    expect(accountOf(apply(current, withRoles(['a', 'b', 'c', 'd']), 'patch', policy)).roles).toEqual(['a', 'b', 'c', 'd']);
    expect(refusalDetail(() => apply(current, withRoles(['a', 'b', 'c', 'd', 'e', 'f']), 'patch', policy), 400, 'invalidValue')).toContain('at most 3 roles');
  });

  it('are refused beyond the policy maximum', () => {
    const draft = user({ accountType: 'ConfigAdmin', roles: ['a', 'b', 'c', 'd'] });
    expect(refusalDetail(() => apply(undefined, draft, 'create', { ...POLICY, maxRoles: 3 }), 400, 'invalidValue')).toContain('at most 3 roles');
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
    const policy = { ...POLICY, usernameImmutable: true };
    expect(refusalDetail(() => apply(stored('Active'), { ...person, userName: 'grace' }, kind, policy), 400, 'mutability')).toContain('USERNAME_IMMUTABLE');
    expect(() => apply(stored('Active'), { ...person }, kind, policy)).not.toThrow();
  });
});
