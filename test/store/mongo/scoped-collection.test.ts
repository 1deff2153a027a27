import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { eventRecorder } from '../../../src/store/mongo/event-append';
import { mongoUsers } from '../../../src/store/mongo/mongo-users';
import { relationResolver } from '../../../src/store/mongo/mongo-relations';
import { scopedFilter, scopedPipeline, scopeTo, ScopeViolation } from '../../../src/store/mongo/scoped-collection';
import { UnsupportedQuery, type Store } from '../../../src/store/port';
import { FakeDatabase, inMemoryMongoStore, type JournalEntry } from '../contract/mingo-collections';
import { journal } from '../../support/journal';

const registry = loadSchemaRegistry();
const ACCOUNT = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';

describe('a scoped filter', () => {
  it('adds the tenant as an equality, which an index bounds and an upsert copies', () => {
    expect(scopedFilter({ _id: 'u1', deletedAt: null }, 'acme')).toEqual({ _id: 'u1', deletedAt: null, tenantId: 'acme' });
    expect(scopedFilter({}, null)).toEqual({ tenantId: null });
  });

  it.each([
    ['at the top', { tenantId: 'other' }],
    ['in an $and', { $and: [{ deletedAt: null }, { tenantId: 'other' }] }],
    ['in an $or', { $or: [{ tenantId: { $ne: 'acme' } }] }],
    ['in a $nor inside an $and', { $and: [{ $nor: [{ tenantId: 'acme' }] }] }],
  ])('refuses a filter that names tenantId itself (%s): only the scope does', (_, filter) => {
    expect(() => scopedFilter(filter, 'acme')).toThrow(ScopeViolation);
  });

  it('leaves an attribute that happens to be called tenantId alone (it lives in q)', () => {
    expect(scopedFilter({ 'q.tenantId': { $eq: 'x' } }, 'acme')).toEqual({ 'q.tenantId': { $eq: 'x' }, tenantId: 'acme' });
  });
});

describe('a scoped aggregation', () => {
  it('scopes the first $match and the pipeline of every $lookup, however deep', () => {
    const pipeline = [
      { $match: { deletedAt: null } },
      { $lookup: { from: 'memberships', let: { owner: '$_id' }, as: 'r', pipeline: [
        { $match: { $expr: { $eq: ['$member', '$$owner'] } } },
        { $lookup: { from: 'groups', let: { related: '$group' }, as: 'g', pipeline: [{ $limit: 1 }] } },
      ] } },
      { $sort: { created: 1 } },
    ];
    expect(scopedPipeline(pipeline, 'acme')).toEqual([
      { $match: { deletedAt: null, tenantId: 'acme' } },
      { $lookup: { from: 'memberships', let: { owner: '$_id' }, as: 'r', pipeline: [
        { $match: { $expr: { $eq: ['$member', '$$owner'] }, tenantId: 'acme' } },
        { $lookup: { from: 'groups', let: { related: '$group' }, as: 'g', pipeline: [{ $match: { tenantId: 'acme' } }, { $limit: 1 }] } },
      ] } },
      { $sort: { created: 1 } },
    ]);
  });

  it.each([
    ['that does not start with $match', [{ $sort: { created: 1 } }]],
    ['with a $lookup by localField', [{ $match: {} }, { $lookup: { from: 'groups', localField: 'group', foreignField: '_id', as: 'g' } }]],
    ['with a $unionWith', [{ $match: {} }, { $unionWith: { coll: 'users' } }]],
    ['whose $lookup names tenantId', [{ $match: {} }, { $lookup: { from: 'groups', as: 'g', pipeline: [{ $match: { tenantId: 'x' } }] } }]],
  ])('refuses one %s', (_, pipeline) => {
    expect(() => scopedPipeline(pipeline, 'acme')).toThrow(ScopeViolation);
  });
});

describe('a scoped collection', () => {
  const users = () => { const database = new FakeDatabase(); return scopeTo(database.asCollections(), 'acme', database.runtime()).users; };

  it('writes the tenant into every document it inserts, and refuses an update that would move one', async () => {
    const collection = users();
    await collection.insertOne({ _id: 'u1', version: 1, created: 'c', lastModified: 'c', live: true, groupIds: [], userNameKey: 'ada', data: {}, q: {} });
    expect(await collection.findOne({ _id: 'u1' })).toMatchObject({ tenantId: 'acme' });
    expect(() => collection.updateOne({ _id: 'u1' }, { $set: { tenantId: 'beta' } })).toThrow(ScopeViolation);
    expect(() => collection.findOneAndUpdate({ _id: 'u1' }, { $unset: { tenantId: '' } })).toThrow(ScopeViolation);
    expect(() => collection.upsertMany([{ filter: { _id: 'u2' }, update: { $setOnInsert: { tenantId: 'beta' } } }])).toThrow(ScopeViolation);
  });

  it('is all the user, group and token adapters accept: the raw collections are a type error (npm test runs tsc)', () => {
    const database = new FakeDatabase();
    const raw = database.asCollections();
    const scoped = scopeTo(raw, 'acme', database.runtime());
    // @ts-expect-error raw collections have no scope: the adapters take ScopedCollections only
    const unscoped = () => mongoUsers(raw, registry.user, relationResolver(scoped), eventRecorder(journal));
    expect(typeof unscoped).toBe('function');
  });
});

/** The tenant each operation named: the filter's, the inserted document's, every $match of a pipeline's. */
function scopesIn(entry: JournalEntry): unknown[] {
  const own = (value: unknown) => (value && typeof value === 'object' && Object.hasOwn(value, 'tenantId') ? (value as { tenantId: unknown }).tenantId : 'MISSING');
  const ofPipeline = (pipeline: Record<string, unknown>[]): unknown[] => pipeline.flatMap((stage, i) => {
    if (i === 0) return [own(stage.$match)];
    const lookup = stage.$lookup as { pipeline: Record<string, unknown>[] } | undefined;
    return lookup ? ofPipeline(lookup.pipeline) : [];
  });
  switch (entry.operation) {
    case 'aggregate': return ofPipeline(entry.argument as Record<string, unknown>[]);
    case 'bulkWrite':
    case 'insertMany': return (entry.argument as unknown[]).map(own);
    default: return [own(entry.argument)];
  }
}

const filter = (text: string) => resolveFilter(registry.user, parseFilter(text));
const groupFilter = (text: string) => resolveFilter(registry.group, parseFilter(text));
const sortBy = (type: 'user' | 'group', attribute: string) => parseListRequest(registry[type], { sortBy: attribute }, 100).sort;

/** `work` without the journal: the dispatcher's claims cross tenants by design (mongo-outbox.ts). */
async function unjournaled<T>(database: FakeDatabase, work: () => Promise<T>): Promise<T> {
  const journal = database.journal;
  database.journal = undefined;
  try {
    return await work();
  } finally {
    database.journal = journal;
  }
}

/** Every method of a tenant's users, groups, tokens, events and webhooks, and the registry's per-tenant ones. */
async function exerciseTenant(store: Store, database: FakeDatabase, tenantId: string): Promise<void> {
  await store.tenants.create({ id: tenantId, name: tenantId, settings: {} }, journal);
  await store.tenants.update(tenantId, { name: `${tenantId} renamed` }, journal);
  const { users, groups, tokens, events, webhooks } = store.tenant(tenantId, journal);
  const webhook = await webhooks.create({ id: `${tenantId}-w1`, url: 'https://example.com/hook', events: ['user.*'], secret: 'whsec_x' });
  const ada = await users.create({ data: { userName: 'ada', [ACCOUNT]: { status: 'Inactive', deactivatedAt: '2020-01-01T00:00:00Z' } } });
  const bob = await users.create({ data: { userName: 'bob' } });
  await users.create({ data: { userName: 'ADA' } }).catch(() => undefined);
  await users.update(bob.id, 1, { data: { userName: 'bob', displayName: 'Bob' } });
  const team = await groups.create({ displayName: 'Team' }, [ada.id]);
  await groups.create({ displayName: 'Left for the erase' }, [ada.id]);
  await groups.update(team.id, undefined, { data: { displayName: 'Team A' }, memberChanges: [{ op: 'add', ids: [bob.id] }, { op: 'remove', ids: [ada.id] }] });
  await groups.update(team.id, undefined, { memberChanges: [{ op: 'add', ids: ['nobody'] }] }).catch(() => undefined);
  await users.list({ filter: filter(`groups.value eq "${team.id}" or groups.display sw "t" or userName sw "a"`), offset: 0, limit: 10 });
  await expect(users.list({ sort: sortBy('user', 'groups.display'), offset: 0, limit: 10 })).rejects.toThrow(UnsupportedQuery);
  await users.list({ sort: sortBy('user', 'title'), after: [], offset: 0, limit: 1 });
  await groups.list({ filter: groupFilter(`members.value eq "${bob.id}" or members.display eq "bob"`), sort: sortBy('group', 'externalId'), offset: 0, limit: 10 });
  await users.groupsOf([ada.id, bob.id]);
  await groups.membersOf([team.id]);
  const token = await tokens.create({ id: `${tenantId}-t1`, name: 'okta', hash: `${tenantId}-h1`, created: '2024-01-01T00:00:00Z' });
  await tokens.create({ id: `${tenantId}-t2`, name: 'mine', hash: `${tenantId}-h2`, created: '2024-01-01T00:00:00Z', userId: bob.id });
  await tokens.list();
  await tokens.list(bob.id);
  await tokens.get(token.id);
  await tokens.revoke(token.id, '2024-02-01T00:00:00Z');
  await tokens.revokeOfUser(bob.id, '2024-02-01T00:00:00Z');
  await tokens.remove(token.id);
  await users.softDeleteWhere(filter(`${ACCOUNT}:status eq "Inactive" and ${ACCOUNT}:deactivatedAt lt "2021-01-01T00:00:00Z"`));
  await users.restore({ userName: 'ADA' });
  await users.delete(bob.id, undefined);
  await users.restore({ id: bob.id });
  await users.delete(bob.id, undefined);
  await users.purgeDeleted('9999-01-01T00:00:00Z');
  await groups.delete(team.id, undefined);

  await events.read({ after: 0, limit: 5, scan: 100 });
  await events.read({ after: 0, limit: 5, scan: 100, type: (type) => type.startsWith('group.'), resourceId: bob.id, actorTokenId: 'some-token' });
  await events.read({ after: 0, limit: 5, scan: 100, actorTokenId: 'some-token' });
  await events.get(1);
  const latest = await events.latest();
  const now = new Date();
  const [lease] = await unjournaled(database, () => store.outbox.claim('instance-1', now.toISOString(), new Date(now.getTime() + 60_000).toISOString(), 100))
    .then((leases) => leases.filter((l) => l.tenantId === tenantId));
  await webhooks.enqueueLeased(lease, (type) => type.startsWith('user.'), 1000, now.toISOString());
  const [due] = await webhooks.dueLeased(lease, now.toISOString(), 10);
  await webhooks.pendingLeased(lease);
  await webhooks.settleLeased(lease, { eventId: due.delivery.eventId, attempt: { at: now.toISOString(), statusCode: 500, durationMs: 3 }, state: 'failed' });
  await webhooks.retry(webhook.id, latest, now.toISOString());
  await webhooks.deliveries(webhook.id, { limit: 10 });
  await webhooks.deliveries(webhook.id, { limit: 10, state: 'pending', before: latest });
  await webhooks.list();
  await webhooks.get(webhook.id);
  await webhooks.update(webhook.id, { active: false });
  await unjournaled(database, () => store.outbox.release('instance-1', [webhook.id]));
  await webhooks.delete(webhook.id);
  await events.eraseBefore('9999-01-01T00:00:00Z');
  await store.tenants.contents(tenantId);
  await store.tenants.eraseData(tenantId);
}

describe('what reaches the collections', () => {
  const SCOPED = new Set<string>([
    COLLECTIONS.users, COLLECTIONS.groups, COLLECTIONS.memberships, COLLECTIONS.tokens,
    COLLECTIONS.events, COLLECTIONS.eventSequences, COLLECTIONS.webhooks, COLLECTIONS.deliveries,
  ]);

  it('names the tenant in every query, write and join that a tenant store (or the registry for it) sends', async () => {
    const database = new FakeDatabase();
    const store = inMemoryMongoStore(database);
    database.journal = [];
    await exerciseTenant(store, database, 'acme');

    const entries = database.journal.filter((entry) => SCOPED.has(entry.collection));
    expect(new Set(entries.map((e) => `${e.collection}.${e.operation}`))).toEqual(new Set([
      'users.insertOne', 'users.findOne', 'users.find', 'users.findOneAndUpdate', 'users.countDocuments', 'users.aggregate', 'users.deleteOne', 'users.deleteMany', 'users.updateMany',
      'groups.insertOne', 'groups.findOne', 'groups.find', 'groups.findOneAndUpdate', 'groups.updateMany', 'groups.countDocuments', 'groups.aggregate', 'groups.deleteOne', 'groups.deleteMany',
      'memberships.bulkWrite', 'memberships.find', 'memberships.deleteMany',
      'tokens.insertOne', 'tokens.find', 'tokens.findOne', 'tokens.findOneAndUpdate', 'tokens.updateMany', 'tokens.deleteOne', 'tokens.deleteMany',
      'events.insertMany', 'events.find', 'events.findOne', 'events.deleteMany',
      'event_sequences.findOneAndUpdate', 'event_sequences.findOne', 'event_sequences.deleteMany',
      'webhooks.insertOne', 'webhooks.find', 'webhooks.findOne', 'webhooks.findOneAndUpdate', 'webhooks.updateOne', 'webhooks.deleteOne',
      'deliveries.bulkWrite', 'deliveries.find', 'deliveries.countDocuments', 'deliveries.findOneAndUpdate', 'deliveries.updateOne', 'deliveries.deleteMany',
    ]));
    const strays = entries.filter((entry) => scopesIn(entry).some((scope) => scope !== 'acme'));
    expect(strays).toEqual([]);
  });

  it('names no tenant (null) in every operation on operator tokens; only the look-up by hash and touch cross scopes', async () => {
    const database = new FakeDatabase();
    const store = inMemoryMongoStore(database);
    database.journal = [];
    const token = await store.operators.create({ id: 'op1', name: 'ops', hash: 'op-h1', created: '2024-01-01T00:00:00Z' });
    await store.operators.list();
    await store.operators.get(token.id);
    await store.operators.revoke(token.id, '2024-02-01T00:00:00Z');
    await store.operators.remove(token.id);
    expect(database.journal.flatMap(scopesIn)).toEqual(database.journal.map(() => null));

    database.journal = [];
    await store.credentials.findByHash('op-h1');
    await store.credentials.touch('op1', '2024-03-01T00:00:00Z');
    expect(database.journal.flatMap(scopesIn)).toEqual(['MISSING', 'MISSING']);
  });
});
