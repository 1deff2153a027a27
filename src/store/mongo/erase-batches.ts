import type { mongo } from 'mongoose';
import { BATCH } from './models';
import type { ScopedCollection, ScopedCollections } from './scoped-collection';

type Erasable = mongo.Document & { tenantId: string | null };

/**
 * Deletes up to a thousand of a scope's documents matching `filter`, found first and deleted by
 * _id (deleteMany takes no limit): a short write, quickly replicated. Returns how many it deleted.
 */
export async function eraseSome<D extends Erasable>(collection: ScopedCollection<D>, filter: mongo.Filter<D>): Promise<number> {
  const ids = (await collection.find(filter, { projection: { _id: 1 }, limit: BATCH }).toArray()).map((d) => d._id);
  if (ids.length === 0) return 0;
  return (await collection.deleteMany({ _id: { $in: ids } } as mongo.Filter<D>)).deletedCount;
}

/** Deletes every document of a scope matching `filter`, a thousand at a time. */
export async function eraseAll<D extends Erasable>(collection: ScopedCollection<D>, filter: mongo.Filter<D> = {}): Promise<void> {
  while ((await eraseSome(collection, filter)) > 0);
}

/** A tenant's failed requests and hourly activity counts, erased with the tenant (last: nothing refers to them). */
export async function eraseActivity(tenant: ScopedCollections): Promise<void> {
  await eraseAll(tenant.failures);
  await eraseAll(tenant.activityHours);
}
