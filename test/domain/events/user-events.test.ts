import { ACCOUNT_URN } from '../../../src/domain/account/account';
import { changeJournal } from '../../../src/domain/events/journal';
import { SYSTEM_ORIGIN } from '../../../src/domain/events/event-actor';
import type { StoredUser } from '../../../src/store/port';
import type { JsonObject } from '../../../src/scim/values/json';

/**
 * A change of a user is one event (none when nothing changed). Whether an update is an
 * activation or a deactivation is read from `active`, which the account rules keep true
 * exactly when the status is Active. A password appears only as `{path: 'password', changed: true}`.
 */
const { draft } = changeJournal(SYSTEM_ORIGIN);

const HASH = '$scrypt$N=16384$c2FsdA$secret-hash-value';
const person = (account: JsonObject, active: boolean, extra: JsonObject = {}): JsonObject => ({
  userName: 'ada@example.com', name: { givenName: 'Ada', familyName: 'Lovelace' }, emails: [{ value: 'ada@example.com', primary: true }],
  active, [ACCOUNT_URN]: { accountType: 'Internal', ...account }, ...extra,
});
const stored = (data: JsonObject, passwordHash?: string): StoredUser => ({
  id: 'u1', created: '2030-01-01T00:00:00.000Z', lastModified: '2030-01-01T00:00:00.000Z', version: 1, data, ...(passwordHash ? { passwordHash } : {}),
});
const RESOURCE = { type: 'User', id: 'u1', userName: 'ada@example.com' };

const ACTIVE = person({ status: 'Active', activatedAt: '2030-01-01T00:00:00.000Z' }, true);
const INACTIVE = person({ status: 'Inactive', activatedAt: '2030-01-01T00:00:00.000Z', deactivatedAt: '2030-02-01T00:00:00.000Z' }, false);

const updated = (before: JsonObject, after: JsonObject, passwordChanged = false) =>
  draft({ of: 'user', kind: 'updated', before: stored(before, HASH), after: stored(after, HASH), passwordChanged });

describe('user.created', () => {
  it('carries every attribute with its value, so a consumer sees the whole new account (here a Pending one)', () => {
    const pending = person({ status: 'Pending', accountType: 'External' }, false);
    expect(draft({ of: 'user', kind: 'created', after: stored(pending), passwordSet: false })).toEqual([{
      type: 'user.created',
      resource: RESOURCE,
      changes: [
        { path: 'active', after: false },
        { path: 'emails', after: [{ value: 'ada@example.com', primary: true }] },
        { path: 'name.familyName', after: 'Lovelace' },
        { path: 'name.givenName', after: 'Ada' },
        { path: `${ACCOUNT_URN}:accountType`, after: 'External' },
        { path: `${ACCOUNT_URN}:status`, after: 'Pending' },
        { path: 'userName', after: 'ada@example.com' },
      ],
    }]);
  });

  it('says a password was set, in path order, without its value', () => {
    const [event] = draft({ of: 'user', kind: 'created', after: stored(ACTIVE, HASH), passwordSet: true });
    expect(event.changes?.map((c) => c.path)).toEqual(['active', 'emails', 'name.familyName', 'name.givenName', 'password',
      `${ACCOUNT_URN}:accountType`, `${ACCOUNT_URN}:activatedAt`, `${ACCOUNT_URN}:status`, 'userName']);
    expect(event.changes).toContainEqual({ path: 'password', changed: true });
  });
});

describe('an update of a user', () => {
  it('that changes attributes is user.updated with their changes', () => {
    expect(updated(ACTIVE, { ...ACTIVE, title: 'Countess', name: { givenName: 'Augusta Ada', familyName: 'Lovelace' } })).toEqual([{
      type: 'user.updated', resource: RESOURCE,
      changes: [{ path: 'name.givenName', before: 'Ada', after: 'Augusta Ada' }, { path: 'title', after: 'Countess' }],
    }]);
  });

  it('names the user by the userName it has after the change', () => {
    const [event] = updated(ACTIVE, { ...ACTIVE, userName: 'ada.lovelace@example.com' });
    expect(event.resource).toEqual({ type: 'User', id: 'u1', userName: 'ada.lovelace@example.com' });
    expect(event.changes).toEqual([{ path: 'userName', before: 'ada@example.com', after: 'ada.lovelace@example.com' }]);
  });

  it('from active to inactive is user.deactivated, with the status change', () => {
    expect(updated(ACTIVE, INACTIVE)).toEqual([{
      type: 'user.deactivated', resource: RESOURCE,
      changes: [
        { path: 'active', before: true, after: false },
        { path: `${ACCOUNT_URN}:deactivatedAt`, after: '2030-02-01T00:00:00.000Z' },
        { path: `${ACCOUNT_URN}:status`, before: 'Active', after: 'Inactive' },
      ],
    }]);
  });

  it.each([
    ['Inactive', INACTIVE],
    ['Created', person({ status: 'Created' }, false)],
    ['Pending', person({ status: 'Pending' }, false)],
  ])('from %s to active is user.activated', (_, before) => {
    expect(updated(before, ACTIVE)[0].type).toBe('user.activated');
  });

  it('of an account stored before the status existed follows active alone', () => {
    const legacy = { userName: 'ada@example.com', active: true };
    expect(updated(legacy, { ...legacy, active: false })[0].type).toBe('user.deactivated');
  });

  it.each([
    ['Created', 'Pending'],
    ['Created', 'Inactive'],
    ['Pending', 'Inactive'],
  ])('from %s to %s leaves active false: user.updated, its status change in changes', (from, to) => {
    expect(updated(person({ status: from }, false), person({ status: to }, false))).toEqual([{
      type: 'user.updated', resource: RESOURCE, changes: [{ path: `${ACCOUNT_URN}:status`, before: from, after: to }],
    }]);
  });

  it('that only sets a password is user.updated with password changed', () => {
    expect(updated(ACTIVE, ACTIVE, true)).toEqual([{ type: 'user.updated', resource: RESOURCE, changes: [{ path: 'password', changed: true }] }]);
  });

  it('that changes nothing records nothing', () => {
    expect(updated(ACTIVE, structuredClone(ACTIVE))).toEqual([]);
  });
});

describe('deleting, restoring and erasing a user', () => {
  it.each([
    ['deleted', { of: 'user', kind: 'deleted', before: stored(ACTIVE) } as const, 'user.deleted'],
    ['restored', { of: 'user', kind: 'restored', after: stored(ACTIVE) } as const, 'user.restored'],
  ])('%s is %s, without changes', (_, change, type) => {
    expect(draft(change)).toEqual([{ type, resource: RESOURCE }]);
  });

  it('erased (purged) is user.erased, named from what the purge returned', () => {
    expect(draft({ of: 'user', kind: 'erased', user: { id: 'u9', userName: 'gone@example.com' } }))
      .toEqual([{ type: 'user.erased', resource: { type: 'User', id: 'u9', userName: 'gone@example.com' } }]);
  });
});

describe('secrets', () => {
  it('no event of any user change contains the password or its hash', () => {
    const withPassword = { ...ACTIVE, password: 'Tr0ub4dor&3' };
    const events = [
      ...draft({ of: 'user', kind: 'created', after: stored(withPassword, HASH), passwordSet: true }),
      ...draft({ of: 'user', kind: 'updated', before: stored(ACTIVE, 'old-hash-value'), after: stored(withPassword, HASH), passwordChanged: true }),
      ...draft({ of: 'user', kind: 'deleted', before: stored(ACTIVE, HASH) }),
      ...draft({ of: 'user', kind: 'restored', after: stored(ACTIVE, HASH) }),
    ];
    expect(events).toHaveLength(4);
    const serialized = JSON.stringify(events);
    for (const secret of ['Tr0ub4dor&3', HASH, 'old-hash-value', 'secret-hash', 'passwordHash']) expect(serialized).not.toContain(secret);
    expect(events[1].changes).toEqual([{ path: 'password', changed: true }]);
  });
});
