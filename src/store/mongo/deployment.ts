import { COLLECTIONS } from './documents';
import { INDEXES } from './indexes';

/**
 * A database Roster must not run on as it is, for a reason the operator fixes once (the wrong
 * kind of deployment, a database not migrated for this version, a shard key that breaks a
 * unique index). Start-up and the CLI print its message as one line; connecting is not retried.
 */
export class DatabaseRefused extends Error {
  override name = 'DatabaseRefused';
}

/** What Roster reads of the `hello` reply. */
export interface HelloReply {
  readonly setName?: string;
  readonly msg?: string;
  readonly localTime?: Date;
}

export type Deployment = 'replica set' | 'sharded cluster';

/**
 * The kind of deployment a `hello` reply describes, or the refusal of a standalone server.
 * Every write runs in a multi-document transaction with its change events, which only
 * a replica set or a sharded cluster (mongos answers `msg: "isdbgrid"`) can run; and `majority`
 * means something only where there is a majority to lose.
 */
export function deploymentOf(hello: HelloReply, redactedUri: string): Deployment {
  if (hello.msg === 'isdbgrid') return 'sharded cluster';
  if (typeof hello.setName === 'string' && hello.setName !== '') return 'replica set';
  throw new DatabaseRefused(`MongoDB at ${redactedUri} is a standalone server: Roster needs a replica set for transactions. `
    + 'A single-node replica set will do: start mongod with --replSet rs0 and run rs.initiate() once (see README, Production)');
}

/** A document of `config.collections`: one sharded (or once sharded) collection. */
export interface ShardedCollection {
  readonly _id: string;
  readonly key: Readonly<Record<string, unknown>>;
  readonly dropped?: boolean;
}

/**
 * The large collections whose documents belong to one tenant: the only ones that may be
 * sharded, on tenantId. Webhooks (claimed across tenants) and the event counters are small.
 */
const SHARDABLE: ReadonlySet<string> = new Set([COLLECTIONS.users, COLLECTIONS.groups, COLLECTIONS.memberships, COLLECTIONS.events, COLLECTIONS.deliveries]);

/**
 * Why the sharding of database `dbName` would break Roster, if it would: MongoDB enforces a
 * unique index on a sharded collection only when the shard key is a prefix of it, so the shard
 * key of users, groups and memberships must be a ranged prefix of each of their unique indexes
 * (`{tenantId: 1}` is); `tokens` (its hash is unique across tenants), `tenants` and the schema
 * marker must stay unsharded.
 */
export function shardingProblems(dbName: string, sharded: readonly ShardedCollection[]): string[] {
  const problems: string[] = [];
  for (const { _id: namespace, key, dropped } of sharded) {
    if (dropped || !namespace.startsWith(`${dbName}.`)) continue;
    const collection = namespace.slice(dbName.length + 1);
    if (!(Object.values(COLLECTIONS) as string[]).includes(collection)) continue;
    const shown = JSON.stringify(key);
    if (!SHARDABLE.has(collection)) {
      problems.push(`${namespace} is sharded (key ${shown}): Roster needs it unsharded`);
      continue;
    }
    const keyFields = Object.entries(key);
    for (const unique of INDEXES.filter((i) => i.collection === collection && i.options.unique)) {
      const indexFields = Object.entries(unique.fields);
      const prefix = keyFields.every(([field, direction], n) => indexFields[n]?.[0] === field && direction === 1);
      if (!prefix) problems.push(`${namespace} is sharded on ${shown}, which is not a ranged prefix of its unique index ${unique.options.name}: shard it on {"tenantId":1}`);
    }
  }
  return problems;
}
