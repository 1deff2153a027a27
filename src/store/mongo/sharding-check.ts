import type { mongo } from 'mongoose';
import { describeError, type Logger } from '../../logger';
import { DatabaseRefused, shardingProblems, type ShardedCollection } from './deployment';

/** The server's refusal of a read the user may not make. */
const UNAUTHORIZED = 13;

/**
 * On a sharded cluster: refuses a database whose collections are sharded in a way that breaks
 * Roster (deployment.ts, shardingProblems). Reads `config.collections`, which a user without the
 * right to read the config database may not: then the check is skipped with a warning (the
 * server itself still refuses to build a unique index the shard key is not a prefix of).
 */
export async function checkSharding(client: mongo.MongoClient, dbName: string, logger: Logger): Promise<void> {
  let sharded: ShardedCollection[];
  try {
    const namespaces = new RegExp(`^${dbName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`);
    sharded = await client.db('config').collection<ShardedCollection>('collections').find({ _id: namespaces }).toArray();
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNAUTHORIZED) throw error;
    logger.warn('could not read config.collections to check how Roster\'s collections are sharded (not authorized): the check is skipped', describeError(error));
    return;
  }
  const problems = shardingProblems(dbName, sharded);
  if (problems.length) throw new DatabaseRefused(`the sharding of MongoDB database ${dbName} breaks Roster's unique indexes: ${problems.join('; ')} (see README, Production)`);
}
