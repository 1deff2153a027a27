import type { mongo } from 'mongoose';
import type { ListQuery, Page } from '../port';
import { keysPipeline, pagePipeline, type CompiledSort } from './compile-sort';
import {
  COLLECTIONS, type ClientDocument, type ClientSecretDocument, type GroupDocument, type MembershipDocument, type MetaDocument, type TenantDocument,
  type TokenDocument, type UserDocument,
} from './documents';
import type { DeliveryDocument, EventDocument, EventSequenceDocument, WebhookDocument } from './event-documents';
import type { ActivityHourDocument } from './mongo-activity';
import type { FailureDocument } from './mongo-failures';
import type { ScopedCollection } from './scoped-collection';

/**
 * The driver's collections, one per kind of document (documents.ts). The adapters read and write
 * through these (wrapped per tenant by scoped-collection.ts), so filters compiled by
 * compile-filter.ts reach the server as written: no casting, no buffering (while the database
 * is out of reach an operation fails within serverSelectionTimeoutMS instead of queueing).
 */
export interface Collections {
  readonly users: mongo.Collection<UserDocument>;
  readonly groups: mongo.Collection<GroupDocument>;
  readonly memberships: mongo.Collection<MembershipDocument>;
  readonly tokens: mongo.Collection<TokenDocument>;
  readonly tenants: mongo.Collection<TenantDocument>;
  readonly meta: mongo.Collection<MetaDocument>;
  readonly events: mongo.Collection<EventDocument>;
  readonly eventSequences: mongo.Collection<EventSequenceDocument>;
  readonly webhooks: mongo.Collection<WebhookDocument>;
  readonly deliveries: mongo.Collection<DeliveryDocument>;
  readonly clients: mongo.Collection<ClientDocument>;
  readonly clientSecrets: mongo.Collection<ClientSecretDocument>;
  readonly failures: mongo.Collection<FailureDocument>;
  readonly activityHours: mongo.Collection<ActivityHourDocument>;
}

/** The driver collections of database `dbName` (default: the one the connection string names). */
export function bindCollections(client: mongo.MongoClient, dbName?: string): { collections: Collections; db: mongo.Db } {
  const db = client.db(dbName);
  const collections: Collections = {
    users: db.collection<UserDocument>(COLLECTIONS.users),
    groups: db.collection<GroupDocument>(COLLECTIONS.groups),
    memberships: db.collection<MembershipDocument>(COLLECTIONS.memberships),
    tokens: db.collection<TokenDocument>(COLLECTIONS.tokens),
    tenants: db.collection<TenantDocument>(COLLECTIONS.tenants),
    meta: db.collection<MetaDocument>(COLLECTIONS.meta),
    events: db.collection<EventDocument>(COLLECTIONS.events),
    eventSequences: db.collection<EventSequenceDocument>(COLLECTIONS.eventSequences),
    webhooks: db.collection<WebhookDocument>(COLLECTIONS.webhooks),
    deliveries: db.collection<DeliveryDocument>(COLLECTIONS.deliveries),
    clients: db.collection<ClientDocument>(COLLECTIONS.clients),
    clientSecrets: db.collection<ClientSecretDocument>(COLLECTIONS.clientSecrets),
    failures: db.collection<FailureDocument>(COLLECTIONS.failures),
    activityHours: db.collection<ActivityHourDocument>(COLLECTIONS.activityHours),
  };
  return { collections, db };
}

/** The most ids one `$in` names, and the most documents one join step holds. */
export const BATCH = 1000;

export function chunks<T>(items: Iterable<T>, size = BATCH): T[][] {
  const all = [...items];
  const out: T[][] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}

/** A cursor's documents `size` at a time, so a million memberships are never held at once. */
export async function* batches<T>(cursor: AsyncIterable<T>, size = BATCH): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of cursor) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** Reads never need the query copy. */
export const WITHOUT_Q = { q: 0 } as const;

/**
 * One page of users or groups, as the SQLite adapter answers it: the exact total under the
 * filter, then the page in a total order. No documents are read for a count-only request
 * (limit 0) or a page past the end, and then the sort is never compiled (an unsupported sortBy
 * does not fail a count). `storedTotal`, given for an unfiltered list, reads the tenant's kept
 * total (resource-counts.ts) instead of counting.
 *
 * The first page is one query. A later page first finds the _ids of its documents, skipping
 * over index keys only: `{_id: 1}` is covered by the listing indexes that hold the match and the
 * sort ({tenantId, live, created, _id}, {tenantId, live, lastModified, created, _id}, groups'
 * {tenantId, created, _id}), so the server reads no document it skips (PROJECTION_COVERED over
 * IXSCAN, no FETCH), then reads those documents by _id. A sort on computed values sorts only the
 * keys (compile-sort.ts keysPipeline), never whole documents.
 */
export async function listPage<D extends UserDocument | GroupDocument, T>(
  collection: ScopedCollection<D>,
  match: mongo.Filter<D>,
  query: ListQuery,
  order: () => CompiledSort,
  toItem: (document: D) => T,
  storedTotal?: () => Promise<number>,
): Promise<Page<T>> {
  const total = storedTotal ? await storedTotal() : await collection.countDocuments(match);
  if (query.limit === 0 || query.offset >= total) return { total, items: [] };
  const compiled = order();
  if (query.offset > 0) {
    const keys = compiled.addFields !== undefined
      ? await collection.aggregate<{ _id: string }>(keysPipeline(match, compiled, query.offset, query.limit), { allowDiskUse: true }).toArray()
      : await collection.find(match, { projection: { _id: 1 }, sort: compiled.sort, skip: query.offset, limit: query.limit, allowDiskUse: true }).toArray();
    return { total, items: (await documentsOf(collection, keys.map((key) => key._id as string))).map(toItem) };
  }
  const documents = compiled.addFields !== undefined
    ? await collection.aggregate<D>([...pagePipeline(match, compiled, query.offset, query.limit), { $project: WITHOUT_Q }], { allowDiskUse: true }).toArray()
    : await collection.find(match, { projection: WITHOUT_Q, sort: compiled.sort, skip: query.offset, limit: query.limit, allowDiskUse: true }).toArray();
  return { total, items: documents.map((document) => toItem(document as D)) };
}

/** The documents of `ids`, in that order; one deleted since the ids were found is left out. */
async function documentsOf<D extends UserDocument | GroupDocument>(collection: ScopedCollection<D>, ids: readonly string[]): Promise<D[]> {
  if (ids.length === 0) return [];
  const found = await collection.find({ _id: { $in: ids } } as mongo.Filter<D>, { projection: WITHOUT_Q }).toArray() as D[];
  const byId = new Map(found.map((document) => [document._id, document]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
