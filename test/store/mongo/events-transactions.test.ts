import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { draftEvents } from '../../../src/domain/events/journal';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import type { Journal, Store, TenantStore } from '../../../src/store/port';
import { FakeDatabase, inMemoryMongoStore, type JournalEntry } from '../contract/mingo-collections';
import { journal } from '../../support/journal';

/**
 * The MongoDB adapter records every write's events in the write's own transaction: the counter
 * $inc and the events' insertMany are that transaction's last operations, so a change commits
 * with its events or neither does. Checked over the in-memory collections, whose transactions
 * roll back every collection on error (mingo-collections.ts).
 */
const registry = loadSchemaRegistry();
const WRITES = new Set(['insertOne', 'insertMany', 'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'bulkWrite', 'findOneAndUpdate']);
const EVENT_WRITES = new Set([`${COLLECTIONS.events}.insertMany`, `${COLLECTIONS.eventSequences}.findOneAndUpdate`]);
const ALL = Object.values(COLLECTIONS);
const FAR = '9999-01-01T00:00:00.000Z';

/** A tenant with users, a group, tokens, a webhook and an OAuth client with a secret and an access token; and `acme` registered. */
async function setUp(journalOf: Journal = journal) {
  const database = new FakeDatabase();
  const store = inMemoryMongoStore(database);
  await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journalOf);
  const t = store.tenant('acme', journalOf);
  const ada = await t.users.create({ data: { userName: 'ada', active: true } });
  const bob = await t.users.create({ data: { userName: 'bob' } });
  const gone = await t.users.create({ data: { userName: 'gone' } });
  await t.users.delete(gone.id, undefined);
  const team = await t.groups.create({ displayName: 'Team' }, [ada.id]);
  await t.tokens.create({ id: 'tok-1', name: 'laptop', hash: 'h1', created: '2024-01-01T00:00:00.000Z', userId: ada.id });
  await t.webhooks.create({ id: 'hook-1', url: 'https://example.com/hook', events: ['*'], secret: 'whsec_x' });
  await t.clients.create({ id: 'client-1', name: 'entra', created: '2024-01-01T00:00:00.000Z' });
  await t.clients.addSecret({ id: 'secret-1', clientId: 'client-1', hash: 'h-secret-1', created: '2024-01-01T00:00:00.000Z', expires: FAR });
  await t.tokens.create({ id: 'access-1', name: 'entra', hash: 'h-access-1', created: '2024-01-01T00:00:00.000Z', expires: FAR, clientId: 'client-1', secretId: 'secret-1' });
  return { database, store, t, ada, bob, gone, team };
}

type World = Awaited<ReturnType<typeof setUp>>;
type Write = readonly [string, (w: World) => Promise<unknown>];

const writes: readonly Write[] = [
  ['creating a user', ({ t }) => t.users.create({ data: { userName: 'cy' } })],
  ['updating a user', ({ t, bob }) => t.users.update(bob.id, undefined, { data: { userName: 'bob', title: 'Boss' } })],
  ['deactivating a user', ({ t, ada }) => t.users.update(ada.id, undefined, { data: { userName: 'ada', active: false } })],
  ['deleting a user', ({ t, bob }) => t.users.delete(bob.id, undefined)],
  ['restoring a user', ({ t, gone }) => t.users.restore({ id: gone.id })],
  ['purging a deleted user', ({ t }) => t.users.purgeDeleted(FAR)],
  ['the retention sweep', ({ t }) => t.users.softDeleteWhere(resolveFilter(registry.user, parseFilter('userName eq "bob"')))],
  ['creating a group with members', ({ t, ada, bob }) => t.groups.create({ displayName: 'Ops' }, [ada.id, bob.id])],
  ['renaming a group and changing its members', ({ t, team, ada, bob }) => t.groups.update(team.id, undefined, { data: { displayName: 'Crew' }, memberChanges: [{ op: 'add', ids: [bob.id] }, { op: 'remove', ids: [ada.id] }] })],
  ['deleting a group', ({ t, team }) => t.groups.delete(team.id, undefined)],
  ['issuing a token', ({ t }) => t.tokens.create({ id: 'tok-2', name: 'okta', hash: 'h2', created: '2024-01-01T00:00:00.000Z' })],
  ['revoking a token', ({ t }) => t.tokens.revoke('tok-1', '2024-02-01T00:00:00.000Z')],
  ['revoking a user\'s tokens', ({ t, ada }) => t.tokens.revokeOfUser(ada.id, '2024-02-01T00:00:00.000Z')],
  ['deleting a token', ({ t }) => t.tokens.remove('tok-1')],
  ['changing a tenant', ({ store }) => store.tenants.update('acme', { name: 'Acme Corp' }, journal)],
  ['creating a tenant', ({ store }) => store.tenants.create({ id: 'beta', name: 'Beta', settings: {} }, journal)],
  ['creating a webhook', ({ t }) => t.webhooks.create({ id: 'hook-2', url: 'https://example.com/two', events: ['user.*'], secret: 'whsec_y' })],
  ['changing a webhook', ({ t }) => t.webhooks.update('hook-1', { active: false })],
  ['deleting a webhook', ({ t }) => t.webhooks.delete('hook-1')],
  ['creating an OAuth client', ({ t }) => t.clients.create({ id: 'client-2', name: 'other', created: '2024-01-01T00:00:00.000Z' })],
  ['adding a client secret', ({ t }) => t.clients.addSecret({ id: 'secret-2', clientId: 'client-1', hash: 'h-secret-2', created: '2024-01-01T00:00:00.000Z', expires: FAR })],
  ['revoking a client secret and its access tokens', ({ t }) => t.clients.revokeSecret('client-1', 'secret-1', '2024-02-01T00:00:00.000Z')],
  ['deleting an OAuth client with its secrets and access tokens', ({ t }) => t.clients.remove('client-1')],
];

/** Every write the database received while `action` ran. */
async function writesOf(database: FakeDatabase, action: () => Promise<unknown>): Promise<JournalEntry[]> {
  database.journal = [];
  await action();
  const found = database.journal.filter((entry) => WRITES.has(entry.operation));
  database.journal = undefined;
  return found;
}

const snapshot = (database: FakeDatabase) => Object.fromEntries(ALL.map((name) => [name, database.collection(name).snapshot()]));
const latestOf = async (store: Store, tenantId: string) => store.tenant(tenantId, journal).events.latest();

describe('MongoDB adapter: each write\'s events are written in its own transaction', () => {
  it.each(writes)('%s: the change and its events, in one transaction that ends with them', async (_, write) => {
    const world = await setUp();
    const found = await writesOf(world.database, () => write(world));
    expect(found.filter((w) => w.transaction === undefined)).toEqual([]);
    const transactions = new Set(found.map((w) => w.transaction));
    for (const transaction of transactions) {
      const own = found.filter((w) => w.transaction === transaction).map((w) => `${w.collection}.${w.operation}`);
      // The counter, then the events: the last two writes of each transaction that changed something.
      expect(own.slice(-2)).toEqual([`${COLLECTIONS.eventSequences}.findOneAndUpdate`, `${COLLECTIONS.events}.insertMany`]);
      expect(own.slice(0, -2).filter((w) => EVENT_WRITES.has(w))).toEqual([]);
    }
  });

  it.each(writes)('%s, cut off at the events\' insert: neither the change nor any event, and it succeeds when sent again', async (label, write) => {
    const world = await setUp();
    const tenantId = label === 'creating a tenant' ? 'beta' : 'acme';
    const before = snapshot(world.database);
    const latest = await latestOf(world.store, tenantId);
    world.database.faultAt = (entry) => entry.collection === COLLECTIONS.events && entry.operation === 'insertMany';
    await expect(write(world)).rejects.toMatchObject({ name: 'StoreUnavailable' });
    world.database.faultAt = undefined;
    expect(snapshot(world.database)).toEqual(before);

    await write(world);
    // The ids the failed attempt took are given again: no gap.
    const { events } = await world.store.tenant(tenantId, journal).events.read({ after: latest, limit: 1000, scan: 1000 });
    expect(events.length).toBeGreaterThan(0);
    expect(events.map((e) => e.id)).toEqual(events.map((_, n) => latest + n + 1));
  });

  it('a write that fails before its events (a taken userName) records nothing and takes no id', async () => {
    const { database, t } = await setUp();
    const before = snapshot(database);
    const latest = await t.events.latest();
    await expect(t.users.create({ data: { userName: 'ADA' } })).rejects.toMatchObject({ name: 'UniquenessViolation' });
    expect(snapshot(database)).toEqual(before);
    await t.users.create({ data: { userName: 'dee' } });
    expect(await t.events.latest()).toBe(latest + 1);
    expect(await t.events.get(latest + 1)).toMatchObject({ type: 'user.created', resource: { userName: 'dee' } });
  });
});

describe('MongoDB adapter: a transaction run again drafts its events again', () => {
  /** The domain's journal, counting its drafts. */
  function countingJournal() {
    const drafted: string[] = [];
    const counting: Journal = { origin: journal.origin, draft: (change) => (drafted.push(`${change.of}.${change.kind}`), draftEvents(change)) };
    return { counting, drafted };
  }

  it('drafts inside the transaction, once per run, and commits the events of the run that commits, with the next ids', async () => {
    const { counting, drafted } = countingJournal();
    const { database, store, team, bob } = await setUp(counting);
    const t: TenantStore = store.tenant('acme', counting);
    const latest = await t.events.latest();
    drafted.length = 0;
    database.transientFailures = 2;
    await t.groups.update(team.id, undefined, { memberChanges: [{ op: 'add', ids: [bob.id] }] });
    expect(drafted).toEqual(['group.updated', 'group.updated', 'group.updated']);
    const { events } = await t.events.read({ after: latest, limit: 10, scan: 10 });
    expect(events.map((e) => [e.id, e.type, e.member?.id])).toEqual([[latest + 1, 'group.member_added', bob.id]]);
  });
});
