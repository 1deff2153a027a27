import { Mongoose, Schema, type Connection, type Model, type mongo } from 'mongoose';
import type { Logger } from '../../logger';
import type { ListQuery, Page } from '../port';
import { pagePipeline, type CompiledSort } from './compile-sort';
import { COLLECTIONS, type GroupDocument, type MembershipDocument, type TenantDocument, type TokenDocument, type UserDocument } from './documents';
import { indexesOf } from './indexes';
import type { ScopedCollection } from './scoped-collection';

/**
 * The Mongoose models of the five collections (documents.ts), which declare their indexes
 * (indexes.ts); `createIndexes` builds them at start-up. Mongoose is used for exactly that: the
 * adapters read and write through the driver's collections (`Collections`, wrapped per tenant by
 * scoped-collection.ts), so filters compiled by compile-filter.ts reach the server as written
 * (no casting, no buffering: while the database is out of reach an operation fails within
 * serverSelectionTimeoutMS instead of queueing).
 */
export interface Collections {
  readonly users: mongo.Collection<UserDocument>;
  readonly groups: mongo.Collection<GroupDocument>;
  readonly memberships: mongo.Collection<MembershipDocument>;
  readonly tokens: mongo.Collection<TokenDocument>;
  readonly tenants: mongo.Collection<TenantDocument>;
}

/**
 * The schemas are untyped on purpose: `data` and `q` are arbitrary JSON (JsonObject), which
 * Mongoose's schema type inference cannot expand; documents.ts is the typed description, and
 * the driver collections above carry it.
 */
export type Models = Readonly<Record<keyof Collections, Model<unknown>>>;

/** No buffering, no automatic index builds or collection creation: start-up does that, once, explicitly. */
const SCHEMA_OPTIONS = { versionKey: false, bufferCommands: false, autoIndex: false, autoCreate: false, minimize: false, strict: true } as const;

const resourceFields = {
  _id: { type: String, required: true },
  tenantId: { type: String, required: true },
  version: { type: Number, required: true },
  created: { type: String, required: true },
  lastModified: { type: String, required: true },
  data: { type: Schema.Types.Mixed, required: true },
  q: { type: Schema.Types.Mixed, required: true },
};

function withIndexes(schema: Schema, collection: keyof typeof COLLECTIONS): Schema {
  for (const declaration of indexesOf(COLLECTIONS[collection])) schema.index({ ...declaration.fields }, { ...declaration.options });
  return schema;
}

export const userSchema = withIndexes(new Schema({
  ...resourceFields,
  deletedAt: { type: String, default: null },
  lastDeletedAt: { type: String, default: null },
  passwordHash: { type: String, default: null },
  userNameKey: { type: String, required: true },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.users }), 'users');

export const groupSchema = withIndexes(new Schema({
  ...resourceFields,
  displayNameKey: { type: String, required: true },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.groups }), 'groups');

/** One document per (group, member); its _id is the driver's ObjectId. */
export const membershipSchema = withIndexes(new Schema({
  tenantId: { type: String, required: true },
  group: { type: String, required: true },
  member: { type: String, required: true },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.memberships }), 'memberships');

export const tokenSchema = withIndexes(new Schema({
  _id: { type: String, required: true },
  /** null: an operator token. */
  tenantId: { type: String, default: null },
  name: { type: String, required: true },
  hash: { type: String, required: true },
  created: { type: String, required: true },
  expires: { type: String, default: null },
  lastUsed: { type: String, default: null },
  revoked: { type: String, default: null },
  userId: { type: String, default: null },
  bootstrap: { type: Boolean, default: false },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.tokens }), 'tokens');

/** The tenant registry: `_id` is the tenant id. */
export const tenantSchema = withIndexes(new Schema({
  _id: { type: String, required: true },
  name: { type: String, required: true },
  created: { type: String, required: true },
  lastModified: { type: String, required: true },
  settings: { type: Schema.Types.Mixed, required: true },
  deleting: { type: String, default: null },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.tenants }), 'tenants');

/**
 * Binds the models to `client` (already connected) and database `dbName` (default: the one the
 * connection string names). Each store gets its own Mongoose instance, so several stores (tests,
 * the CLI beside a server) never share a model registry.
 */
export function bindModels(client: mongo.MongoClient, dbName?: string): { models: Models; collections: Collections; db: mongo.Db } {
  const base: Connection = new Mongoose().createConnection().setClient(client);
  const connection = dbName === undefined ? base : base.useDb(dbName);
  const db = client.db(dbName);
  const models = defineModels(connection);
  const collections: Collections = {
    users: db.collection<UserDocument>(COLLECTIONS.users),
    groups: db.collection<GroupDocument>(COLLECTIONS.groups),
    memberships: db.collection<MembershipDocument>(COLLECTIONS.memberships),
    tokens: db.collection<TokenDocument>(COLLECTIONS.tokens),
    tenants: db.collection<TenantDocument>(COLLECTIONS.tenants),
  };
  return { models, collections, db };
}

/** The models on one Mongoose connection (a connection that is not connected will do for their index declarations). */
export function defineModels(connection: Connection): Models {
  return {
    users: connection.model<unknown>('User', userSchema),
    groups: connection.model<unknown>('Group', groupSchema),
    memberships: connection.model<unknown>('Membership', membershipSchema),
    tokens: connection.model<unknown>('Token', tokenSchema),
    tenants: connection.model<unknown>('Tenant', tenantSchema),
  };
}

/**
 * Builds every index the models declare that is missing, one createIndexes command per
 * collection (a no-op for indexes that exist; a conflicting definition under the same name fails
 * start-up with the server's reason). Through the driver rather than Model.createIndexes, which
 * reports a failure by emitting 'error' on the model as well. Deliberately not syncIndexes:
 * that drops indexes the models do not declare, and several instances starting at once must
 * never drop a unique index another one relies on.
 */
export async function createIndexes(models: Models, collections: Collections, logger: Logger): Promise<void> {
  for (const [name, model] of Object.entries(models) as [keyof Collections, Model<unknown>][]) {
    const specs = model.schema.indexes().map(([key, options]) => ({ ...options, key }) as mongo.IndexDescription);
    if (specs.length) await collections[name].createIndexes(specs);
    logger.debug('MongoDB indexes ready', { collection: model.collection.collectionName, indexes: specs.map((spec) => spec.name) });
  }
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
 * does not fail a count). A sort on indexed fields is a find; one on computed values is the
 * aggregation compile-sort.ts lays out (helper fields removed there, `q` here).
 */
export async function listPage<D extends UserDocument | GroupDocument, T>(
  collection: ScopedCollection<D>,
  match: mongo.Filter<D>,
  query: ListQuery,
  order: () => CompiledSort,
  toItem: (document: D) => T,
): Promise<Page<T>> {
  const total = await collection.countDocuments(match);
  if (query.limit === 0 || query.offset >= total) return { total, items: [] };
  const compiled = order();
  const documents = compiled.addFields !== undefined || compiled.lookup !== undefined
    ? await collection.aggregate<D>([...pagePipeline(match, compiled, query.offset, query.limit), { $project: WITHOUT_Q }], { allowDiskUse: true }).toArray()
    : await collection.find(match, { projection: WITHOUT_Q, sort: compiled.sort, skip: query.offset, limit: query.limit, allowDiskUse: true }).toArray();
  return { total, items: documents.map((document) => toItem(document as D)) };
}
