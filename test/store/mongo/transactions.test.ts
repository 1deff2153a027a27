import fc from 'fast-check';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import type { TenantStore } from '../../../src/store/port';
import { FakeDatabase, inMemoryMongoStore, type JournalEntry } from '../contract/mingo-collections';
import { journal } from '../../support/journal';

/**
 * Every write of the MongoDB adapter that touches more than one document runs inside one
 * transaction, so a reader sees all of it or none, and a failure part-way leaves nothing
 * half-written. Checked on the adapter's own code over the in-memory collections, whose
 * transactions are serializable, roll back on error, and refuse an operation sent inside a
 * transaction without its session (mingo-collections.ts).
 */
const registry = loadSchemaRegistry();
const WRITES = new Set(['insertOne', 'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'bulkWrite', 'findOneAndUpdate']);
const MULTI_DOCUMENT = new Set(['updateMany', 'deleteMany', 'bulkWrite']);
const RESOURCES = new Set<string>([COLLECTIONS.users, COLLECTIONS.groups, COLLECTIONS.memberships, COLLECTIONS.tokens]);

function setUp() {
  const database = new FakeDatabase();
  const store = inMemoryMongoStore(database);
  return { database, store, t: store.tenant('acme', journal) };
}

/** The writes to users, groups, memberships and tokens while `action` runs. */
async function writesOf(database: FakeDatabase, action: () => Promise<unknown>): Promise<JournalEntry[]> {
  database.journal = [];
  await action();
  const writes = database.journal.filter((entry) => RESOURCES.has(entry.collection) && WRITES.has(entry.operation));
  database.journal = undefined;
  return writes;
}

const needsTransaction = (writes: readonly JournalEntry[]) => writes.length > 1 || writes.some((w) => MULTI_DOCUMENT.has(w.operation));
const transactionsOf = (writes: readonly JournalEntry[]) => new Set(writes.map((w) => w.transaction));

async function population(t: TenantStore) {
  const ada = await t.users.create({ data: { userName: 'ada' } });
  const bob = await t.users.create({ data: { userName: 'bob' } });
  const cy = await t.users.create({ data: { userName: 'cy' } });
  const team = await t.groups.create({ displayName: 'Team' }, [ada.id, bob.id]);
  return { ada, bob, cy, team };
}

describe('MongoDB adapter: every write of more than one document is one transaction', () => {
  type Case = readonly [string, (t: TenantStore, p: Awaited<ReturnType<typeof population>>) => Promise<unknown>];
  const oneTransaction: readonly Case[] = [
    ['creating a group with members', (t, p) => t.groups.create({ displayName: 'New' }, [p.ada.id, p.cy.id])],
    ['adding members (PATCH add)', (t, p) => t.groups.update(p.team.id, undefined, { memberChanges: [{ op: 'add', ids: [p.cy.id] }] })],
    ['removing members (PATCH remove)', (t, p) => t.groups.update(p.team.id, undefined, { memberChanges: [{ op: 'remove', ids: [p.ada.id] }] })],
    ['replacing the member list (PUT)', (t, p) => t.groups.update(p.team.id, p.team.version, { data: { displayName: 'Team' }, memberChanges: [{ op: 'removeAll' }, { op: 'add', ids: [p.bob.id, p.cy.id] }] })],
    ['renaming and changing members at once (PATCH)', (t, p) => t.groups.update(p.team.id, undefined, { data: { displayName: 'Crew' }, memberChanges: [{ op: 'add', ids: [p.cy.id] }] })],
    ['deleting a group with members', (t, p) => t.groups.delete(p.team.id, undefined)],
    ['deleting a user who is in a group', (t, p) => t.users.delete(p.ada.id, undefined)],
    ['restoring a user who is in a group', async (t, p) => { await t.users.delete(p.ada.id, undefined); return t.users.restore({ id: p.ada.id }); }],
  ];

  it.each(oneTransaction)('%s', async (_label, action) => {
    const { database, t } = setUp();
    const p = await population(t);
    const writes = await writesOf(database, () => action(t, p));
    expect(needsTransaction(writes)).toBe(true);
    // The restore case runs two writes (the delete, then the restore): each is one transaction of its own.
    for (const transaction of transactionsOf(writes)) expect(transaction).toEqual(expect.any(Number));
    if (_label.startsWith('restoring')) expect(transactionsOf(writes).size).toBe(2);
    else expect(transactionsOf(writes).size).toBe(1);
  });

  it('purging and the retention sweep: each user in a transaction of its own, nothing outside one', async () => {
    const { database, t } = setUp();
    const p = await population(t);
    await t.tokens.create({ id: 'tok', name: 'ada', hash: 'h', created: '2020-01-01T00:00:00.000Z', userId: p.ada.id });
    await t.users.delete(p.ada.id, undefined);
    await t.users.delete(p.bob.id, undefined);
    const purged = await writesOf(database, () => t.users.purgeDeleted('9999-01-01T00:00:00.000Z'));
    expect(purged.length).toBeGreaterThan(2);
    expect(purged.every((w) => w.transaction !== undefined)).toBe(true);
    expect(transactionsOf(purged).size).toBe(2);

    const sweep = await writesOf(database, () => t.users.softDeleteWhere(resolveFilter(registry.user, parseFilter('userName eq "cy"'))));
    expect(sweep.every((w) => w.transaction !== undefined)).toBe(true);
    expect(transactionsOf(sweep).size).toBe(1);
  });

  it('a user create or update writes one document, in a transaction with its event (events-transactions.test.ts)', async () => {
    const { database, t } = setUp();
    const created = await writesOf(database, () => t.users.create({ data: { userName: 'dee' } }));
    expect(created.map((w) => [w.operation, typeof w.transaction])).toEqual([['insertOne', 'number']]);
    const user = await t.users.create({ data: { userName: 'eve' } });
    const updated = await writesOf(database, () => t.users.update(user.id, 1, { data: { userName: 'eve', title: 'x' } }));
    expect(updated.map((w) => [w.operation, typeof w.transaction])).toEqual([['findOneAndUpdate', 'number']]);
  });
});

/** A group's member ids as the memberships say, and as the users' groupIds say: always the same. */
async function membershipViews(database: FakeDatabase, groupId: string) {
  const memberships = database.collection(COLLECTIONS.memberships).snapshot().filter((m) => m.group === groupId).map((m) => String(m.member)).sort();
  const fromUsers = database.collection(COLLECTIONS.users).snapshot().filter((u) => (u.groupIds as string[]).includes(groupId)).map((u) => String(u._id)).sort();
  return { memberships, fromUsers };
}

describe('MongoDB adapter: a failure part-way writes nothing', () => {
  it('a PUT of the member list cut off after some of its writes leaves the group, its version and its members as they were', async () => {
    const { database, t } = setUp();
    const p = await population(t);
    let writes = 0;
    database.faultAt = (entry) => entry.collection === COLLECTIONS.users && entry.operation === 'updateMany' && ++writes === 2;
    const put = t.groups.update(p.team.id, undefined, { memberChanges: [{ op: 'removeAll' }, { op: 'add', ids: [p.cy.id] }] });
    await expect(put).rejects.toMatchObject({ name: 'StoreUnavailable' });
    database.faultAt = undefined;
    expect(writes).toBe(2);
    expect((await t.groups.get(p.team.id))?.version).toBe(p.team.version);
    expect((await t.groups.membersOf([p.team.id])).get(p.team.id)?.map((m) => m.id).sort()).toEqual([p.ada.id, p.bob.id].sort());
    expect(await membershipViews(database, p.team.id)).toEqual({ memberships: [p.ada.id, p.bob.id].sort(), fromUsers: [p.ada.id, p.bob.id].sort() });
  });

  it('a group create cut off after its insert leaves no group, and sending it again creates it (no 409)', async () => {
    const { database, t } = setUp();
    const p = await population(t);
    database.faultAt = (entry) => entry.collection === COLLECTIONS.memberships && entry.operation === 'bulkWrite';
    await expect(t.groups.create({ displayName: 'Ops' }, [p.cy.id])).rejects.toMatchObject({ name: 'StoreUnavailable' });
    database.faultAt = undefined;
    expect(database.collection(COLLECTIONS.groups).snapshot().map((g) => g.displayNameKey).sort()).toEqual(['team']);
    const ops = await t.groups.create({ displayName: 'Ops' }, [p.cy.id]);
    expect((await t.groups.membersOf([ops.id])).get(ops.id)?.map((m) => m.id)).toEqual([p.cy.id]);
  });

  it('only a taken displayName is the client\'s error on create, and it leaves nothing behind', async () => {
    const { database, t } = setUp();
    const p = await population(t);
    await expect(t.groups.create({ displayName: 'TEAM' }, [p.cy.id])).rejects.toMatchObject({ name: 'UniquenessViolation', field: 'displayName' });
    expect(await membershipViews(database, p.team.id)).toEqual({ memberships: [p.ada.id, p.bob.id].sort(), fromUsers: [p.ada.id, p.bob.id].sort() });
    expect(database.collection(COLLECTIONS.memberships).snapshot()).toHaveLength(2);
  });

  it('a soft delete cut off before its groups change leaves the user live and the groups at their version', async () => {
    const { database, t } = setUp();
    const p = await population(t);
    database.faultAt = (entry) => entry.collection === COLLECTIONS.groups && entry.operation === 'updateMany';
    await expect(t.users.delete(p.ada.id, undefined)).rejects.toMatchObject({ name: 'StoreUnavailable' });
    database.faultAt = undefined;
    expect(await t.users.get(p.ada.id)).toBeDefined();
    expect((await t.groups.get(p.team.id))?.version).toBe(p.team.version);
  });

  it('a transaction that conflicts runs again from the start and writes once', async () => {
    const { database, t } = setUp();
    const p = await population(t);
    database.transientFailures = 2;
    const commits = database.commits;
    const result = await t.groups.update(p.team.id, p.team.version, { memberChanges: [{ op: 'add', ids: [p.cy.id] }] });
    expect(result).toMatchObject({ status: 'updated', resource: { version: p.team.version + 1 } });
    expect(database.commits).toBe(commits + 1);
    expect(await membershipViews(database, p.team.id)).toEqual({ memberships: [p.ada.id, p.bob.id, p.cy.id].sort(), fromUsers: [p.ada.id, p.bob.id, p.cy.id].sort() });
  });
});

describe('MongoDB adapter: concurrent writes of one group', () => {
  it('two concurrent PUTs of the member list end with one of the two lists, never their union', async () => {
    const { t } = setUp();
    const p = await population(t);
    const put = (ids: string[]) => t.groups.update(p.team.id, undefined, { memberChanges: [{ op: 'removeAll' }, { op: 'add', ids }] });
    await Promise.all([put([p.ada.id]), put([p.cy.id])]);
    const members = (await t.groups.membersOf([p.team.id])).get(p.team.id)!.map((m) => m.id);
    expect([[p.ada.id], [p.cy.id]]).toContainEqual(members);
  });

  it('a reader during a PUT sees the members before or after it, never an emptied or half-filled group', async () => {
    const { t } = setUp();
    const p = await population(t);
    const before = [p.ada.id, p.bob.id].sort();
    const after = [p.cy.id];
    const put = t.groups.update(p.team.id, undefined, { memberChanges: [{ op: 'removeAll' }, { op: 'add', ids: after }] });
    const seen: string[][] = [];
    for (let i = 0; i < 5; i++) seen.push((await t.groups.membersOf([p.team.id])).get(p.team.id)!.map((m) => m.id).sort());
    await put;
    for (const members of seen) expect([before, after]).toContainEqual(members);
  });
});

describe('MongoDB adapter: memberships and groupIds never disagree', () => {
  type Step =
    | { kind: 'add' | 'remove' | 'put'; group: number; users: number[] }
    | { kind: 'deleteUser' | 'restoreUser'; user: number }
    | { kind: 'deleteGroup'; group: number };
  const index = fc.integer({ min: 0, max: 3 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constantFrom('add' as const, 'remove' as const, 'put' as const), group: fc.integer({ min: 0, max: 1 }), users: fc.array(index, { maxLength: 4 }) }),
    fc.record({ kind: fc.constantFrom('deleteUser' as const, 'restoreUser' as const), user: index }),
    fc.record({ kind: fc.constant('deleteGroup' as const), group: fc.integer({ min: 0, max: 1 }) }),
  );

  it('after any sequence of member changes, user deletes, restores and group deletes', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { maxLength: 12 }), async (steps) => {
      const { database, t } = setUp();
      const users = await Promise.all([0, 1, 2, 3].map((i) => t.users.create({ data: { userName: `u${i}` } })));
      const groups = await Promise.all([0, 1].map((i) => t.groups.create({ displayName: `g${i}` }, [])));
      for (const s of steps) {
        if (s.kind === 'deleteUser') await t.users.delete(users[s.user].id, undefined);
        else if (s.kind === 'restoreUser') await t.users.restore({ id: users[s.user].id });
        else if (s.kind === 'deleteGroup') await t.groups.delete(groups[s.group].id, undefined);
        else if (s.kind === 'add' || s.kind === 'remove' || s.kind === 'put') {
          const ids = s.users.map((i) => users[i].id);
          const changes = s.kind === 'put' ? [{ op: 'removeAll' as const }, { op: 'add' as const, ids }] : [{ op: s.kind, ids }];
          // Adding a deleted user is refused (UnknownMembers) and must write nothing either.
          await t.groups.update(groups[s.group].id, undefined, { memberChanges: changes }).catch((error: Error) => {
            if (error.name !== 'UnknownMembers') throw error;
          });
        }
      }
      for (const group of groups) {
        const views = await membershipViews(database, group.id);
        expect(views.fromUsers).toEqual(views.memberships);
      }
    }), { numRuns: 60 });
  });
});
