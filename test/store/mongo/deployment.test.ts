import { DatabaseRefused, deploymentOf, shardingProblems, type HelloReply } from '../../../src/store/mongo/deployment';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { INDEXES } from '../../../src/store/mongo/indexes';
import { isConnectivityError } from '../../../src/store/mongo/mongo-errors';

const URI = 'mongodb://db1:27017/roster';

describe('the deployment Roster runs on', () => {
  it.each<[string, HelloReply, string]>([
    ['a replica set member', { setName: 'rs0', localTime: new Date() }, 'replica set'],
    ['a single-node replica set', { setName: 'rs0' }, 'replica set'],
    ['mongos', { msg: 'isdbgrid' }, 'sharded cluster'],
  ])('accepts %s', (_case, hello, deployment) => {
    expect(deploymentOf(hello, URI)).toBe(deployment);
  });

  it.each<[string, HelloReply]>([
    ['a standalone server', { localTime: new Date() }],
    ['an empty set name', { setName: '' }],
    ['another msg', { msg: 'hello' }],
  ])('refuses %s with one line saying how to start a single-node replica set', (_case, hello) => {
    let thrown: unknown;
    try {
      deploymentOf(hello, URI);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DatabaseRefused);
    expect((thrown as Error).message).toBe('MongoDB at mongodb://db1:27017/roster is a standalone server: Roster needs a replica set for transactions. '
      + 'A single-node replica set will do: start mongod with --replSet rs0 and run rs.initiate() once (see README, Production)');
    expect((thrown as Error).message).not.toContain('\n');
    // Not a connectivity error: connecting is not retried.
    expect(isConnectivityError(thrown)).toBe(false);
  });
});

describe('sharding', () => {
  const sharded = (collection: string, key: Record<string, unknown>, dropped = false) => ({ _id: `roster.${collection}`, key, ...(dropped ? { dropped } : {}) });

  it('accepts users, groups, memberships, events and deliveries sharded on ranged tenantId, and unsharded everything else', () => {
    expect(shardingProblems('roster', [
      sharded(COLLECTIONS.users, { tenantId: 1 }), sharded(COLLECTIONS.groups, { tenantId: 1 }), sharded(COLLECTIONS.memberships, { tenantId: 1 }),
      sharded(COLLECTIONS.events, { tenantId: 1 }), sharded(COLLECTIONS.deliveries, { tenantId: 1 }),
    ])).toEqual([]);
    expect(shardingProblems('roster', [])).toEqual([]);
  });

  it('accepts a longer key that is still a prefix of every unique index', () => {
    expect(shardingProblems('roster', [sharded(COLLECTIONS.users, { tenantId: 1, userNameKey: 1 }), sharded(COLLECTIONS.memberships, { tenantId: 1, group: 1 })])).toEqual([]);
  });

  it.each<[string, ReturnType<typeof sharded>, RegExp]>([
    ['a hashed tenantId', sharded(COLLECTIONS.users, { tenantId: 'hashed' }), /roster\.users is sharded on \{"tenantId":"hashed"\}, which is not a ranged prefix of its unique index tenant_userNameKey_unique/],
    ['a key not starting with tenantId', sharded(COLLECTIONS.groups, { _id: 1 }), /roster\.groups is sharded on \{"_id":1\}.*tenant_displayNameKey_unique/],
    ['a key beyond the unique index', sharded(COLLECTIONS.users, { tenantId: 1, _id: 1 }), /tenant_userNameKey_unique/],
    ['sharded tokens (hash is unique across tenants)', sharded(COLLECTIONS.tokens, { tenantId: 1 }), /roster\.tokens is sharded \(key \{"tenantId":1\}\): Roster needs it unsharded/],
    ['sharded tenants', sharded(COLLECTIONS.tenants, { _id: 1 }), /roster\.tenants is sharded/],
    ['events sharded on their id alone', sharded(COLLECTIONS.events, { seq: 1 }), /roster\.events is sharded on \{"seq":1\}.*tenant_seq_unique/],
    ['sharded webhooks (claimed across tenants)', sharded(COLLECTIONS.webhooks, { tenantId: 1 }), /roster\.webhooks is sharded/],
    ['sharded event counters', sharded(COLLECTIONS.eventSequences, { _id: 1 }), /roster\.event_sequences is sharded/],
  ])('refuses %s', (_case, collection, problem) => {
    expect(shardingProblems('roster', [collection])).toEqual([expect.stringMatching(problem)]);
  });

  it('looks only at this database\'s collections, and not at dropped ones', () => {
    expect(shardingProblems('roster', [
      { _id: 'other.users', key: { _id: 'hashed' } }, { _id: 'roster_test.users', key: { _id: 1 } }, sharded(COLLECTIONS.users, { _id: 1 }, true), sharded('audit', { at: 1 }),
    ])).toEqual([]);
  });

  it('can shard on tenantId because every unique index of a tenant\'s collections starts with it', () => {
    const shardable = [COLLECTIONS.users, COLLECTIONS.groups, COLLECTIONS.memberships, COLLECTIONS.events, COLLECTIONS.deliveries] as string[];
    const unique = INDEXES.filter((i) => shardable.includes(i.collection) && i.options.unique);
    expect(unique.length).toBeGreaterThanOrEqual(5);
    for (const index of unique) expect(Object.entries(index.fields)[0]).toEqual(['tenantId', 1]);
  });
});
