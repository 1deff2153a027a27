import type { mongo } from 'mongoose';
import type { ClientDocument, ClientSecretDocument, GroupDocument, MembershipDocument, TokenDocument, UserDocument } from './documents';
import type { DeliveryDocument, EventDocument, EventSequenceDocument, WebhookDocument } from './event-documents';
import type { Collections } from './models';
import type { ActivityHourDocument } from './mongo-activity';
import type { FailureDocument } from './mongo-failures';
import type { Transactions } from './transactions';

/** A tenant's id, or null for the tokens of no tenant (operator tokens). */
export type Scope = string | null;

type Scoped = mongo.Document & { tenantId: Scope };
type Unscoped<D> = Omit<D, 'tenantId'>;
type Stage = Record<string, unknown>;

/** A query or pipeline that would escape its scope: a bug in the adapter, never a client's mistake. */
export class ScopeViolation extends Error {
  override name = 'ScopeViolation';
}

/** True when a filter names tenantId itself, at its top level or in a top-level $and / $or / $nor. */
function namesTenant(filter: Record<string, unknown>): boolean {
  return Object.entries(filter).some(([key, value]) =>
    key === 'tenantId' || (['$and', '$or', '$nor'].includes(key) && Array.isArray(value) && value.some((part) => namesTenant(part as Record<string, unknown>))));
}

/**
 * `filter` restricted to one scope: the tenantId equality every index leads with (indexes.ts).
 * An equality on tenantId is also what an upsert copies into the document it inserts.
 */
export function scopedFilter<F extends object>(filter: F, tenantId: Scope): F & { tenantId: Scope } {
  if (namesTenant(filter as Record<string, unknown>)) throw new ScopeViolation('a scoped query may not name tenantId: the scope does');
  return { ...filter, tenantId };
}

/** An update may never move a document to another scope. */
function checkUpdate(update: object): void {
  if (Array.isArray(update)) throw new ScopeViolation('pipeline updates are not scoped');
  for (const fields of Object.values(update)) {
    if (fields && typeof fields === 'object' && Object.hasOwn(fields, 'tenantId')) throw new ScopeViolation('an update may not change tenantId');
  }
}

/**
 * `pipeline` restricted to one scope: its first stage must be a $match, which gains the
 * tenantId equality, and every $lookup must be of the pipeline form, whose own pipeline gains
 * one too (recursively), so a join never reaches another tenant's documents.
 */
export function scopedPipeline(pipeline: readonly Stage[], tenantId: Scope): Stage[] {
  const [first, ...rest] = pipeline;
  if (!first || !('$match' in first)) throw new ScopeViolation('a scoped aggregation must start with $match');
  return [{ $match: scopedFilter(first.$match as object, tenantId) }, ...rest.map((stage) => scopedStage(stage, tenantId))];
}

function scopedStage(stage: Stage, tenantId: Scope): Stage {
  if ('$unionWith' in stage || '$graphLookup' in stage) throw new ScopeViolation('$unionWith and $graphLookup are not scoped');
  if (!('$lookup' in stage)) return stage;
  const lookup = stage.$lookup as { pipeline?: Stage[]; localField?: string };
  if (!lookup.pipeline || lookup.localField !== undefined) throw new ScopeViolation('a scoped $lookup must use the let/pipeline form');
  const pipeline = '$match' in (lookup.pipeline[0] ?? {}) ? lookup.pipeline : [{ $match: {} }, ...lookup.pipeline];
  return { $lookup: { ...lookup, pipeline: scopedPipeline(pipeline, tenantId) } };
}

/**
 * One collection as one scope sees it: every read, count, update, delete and aggregation gains
 * `tenantId: <scope>`, every inserted document carries it, and no update can change it. The
 * user, group and token adapters are handed only these, so a query of another tenant's
 * documents cannot be written there; the raw collections are reached only by the tenant
 * registry, the credential look-up by hash and the start-up migration.
 */
export class ScopedCollection<D extends Scoped> {
  constructor(private readonly collection: mongo.Collection<D>, readonly tenantId: Scope, private readonly session?: mongo.ClientSession) {}

  /** The same collection, with every operation inside `session`'s transaction. */
  inSession(session: mongo.ClientSession): ScopedCollection<D> {
    return new ScopedCollection(this.collection, this.tenantId, session);
  }

  private where(filter: mongo.Filter<D>): mongo.Filter<D> {
    return scopedFilter(filter, this.tenantId) as mongo.Filter<D>;
  }

  /** `options` with the session, when there is one (no `session: undefined` key otherwise). */
  private with<O extends object>(options?: O): O & { session?: mongo.ClientSession } {
    return this.session ? { ...(options ?? ({} as O)), session: this.session } : (options ?? ({} as O));
  }

  find(filter: mongo.Filter<D>, options?: mongo.FindOptions) {
    return this.collection.find(this.where(filter), this.with(options));
  }

  findOne(filter: mongo.Filter<D>, options?: mongo.FindOptions) {
    return this.collection.findOne(this.where(filter), this.with(options));
  }

  countDocuments(filter: mongo.Filter<D>, options?: mongo.CountDocumentsOptions) {
    return this.collection.countDocuments(this.where(filter), this.with(options));
  }

  aggregate<T extends mongo.Document>(pipeline: readonly Stage[], options?: mongo.AggregateOptions) {
    return this.collection.aggregate<T>(scopedPipeline(pipeline, this.tenantId), this.with(options));
  }

  insertOne(document: Unscoped<D>) {
    return this.collection.insertOne({ ...document, tenantId: this.tenantId } as unknown as mongo.OptionalUnlessRequiredId<D>, this.with());
  }

  /** One round trip for many documents (a PATCH of 1,000 members writes 1,000 events). */
  insertMany(documents: readonly Unscoped<D>[]) {
    return this.collection.insertMany(documents.map((document) => ({ ...document, tenantId: this.tenantId })) as unknown as mongo.OptionalUnlessRequiredId<D>[], this.with());
  }

  findOneAndUpdate(filter: mongo.Filter<D>, update: mongo.UpdateFilter<D>, options: mongo.FindOneAndUpdateOptions = {}) {
    checkUpdate(update);
    return this.collection.findOneAndUpdate(this.where(filter), update, this.with(options));
  }

  updateOne(filter: mongo.Filter<D>, update: mongo.UpdateFilter<D>, options?: mongo.UpdateOptions) {
    checkUpdate(update);
    return this.collection.updateOne(this.where(filter), update, this.with(options));
  }

  updateMany(filter: mongo.Filter<D>, update: mongo.UpdateFilter<D>) {
    checkUpdate(update);
    return this.collection.updateMany(this.where(filter), update, this.with());
  }

  deleteOne(filter: mongo.Filter<D>) {
    return this.collection.deleteOne(this.where(filter), this.with());
  }

  deleteMany(filter: mongo.Filter<D>) {
    return this.collection.deleteMany(this.where(filter), this.with());
  }

  /** Unordered upserts: each filter's tenantId equality is copied into the document an upsert inserts. */
  upsertMany(operations: readonly { filter: mongo.Filter<D>; update: mongo.UpdateFilter<D> }[]) {
    for (const { update } of operations) checkUpdate(update);
    const writes = operations.map(({ filter, update }) => ({ updateOne: { filter: this.where(filter), update, upsert: true } }));
    return this.collection.bulkWrite(writes as mongo.AnyBulkWriteOperation<D>[], this.with({ ordered: false }));
  }
}

/** The collections of one scope: all the adapters of one tenant ever see. */
export interface ScopedCollections {
  readonly tenantId: string;
  readonly users: ScopedCollection<UserDocument>;
  readonly groups: ScopedCollection<GroupDocument>;
  readonly memberships: ScopedCollection<MembershipDocument>;
  readonly tokens: ScopedCollection<TokenDocument>;
  readonly events: ScopedCollection<EventDocument>;
  readonly eventSequences: ScopedCollection<EventSequenceDocument>;
  readonly webhooks: ScopedCollection<WebhookDocument>;
  readonly deliveries: ScopedCollection<DeliveryDocument>;
  readonly clients: ScopedCollection<ClientDocument>;
  readonly clientSecrets: ScopedCollection<ClientSecretDocument>;
  readonly failures: ScopedCollection<FailureDocument>;
  readonly activityHours: ScopedCollection<ActivityHourDocument>;
  /**
   * Runs `work` on the same collections inside one transaction (Transactions.run: it may run
   * more than once). Inside a transaction, this runs `work` in that same transaction.
   */
  transaction<T>(work: (t: ScopedCollections) => Promise<T>): Promise<T>;
  /** The transaction's session, inside one: for the registry's writes of the tenant's own record. */
  readonly session?: mongo.ClientSession;
  /** The time of a write, for created and lastModified (the database's clock: connection.ts). */
  now(): string;
}

/** What a store's scopes share: its transactions and its clock. */
export interface StoreRuntime {
  readonly transactions: Transactions;
  readonly now: () => string;
}

/** The collections of one tenant. */
export function scopeTo(collections: Collections, tenantId: string, runtime: StoreRuntime): ScopedCollections {
  const scope: ScopedCollections = {
    tenantId,
    users: new ScopedCollection(collections.users, tenantId),
    groups: new ScopedCollection(collections.groups, tenantId),
    memberships: new ScopedCollection(collections.memberships, tenantId),
    tokens: new ScopedCollection(collections.tokens, tenantId),
    events: new ScopedCollection(collections.events, tenantId),
    eventSequences: new ScopedCollection(collections.eventSequences, tenantId),
    webhooks: new ScopedCollection(collections.webhooks, tenantId),
    deliveries: new ScopedCollection(collections.deliveries, tenantId),
    clients: new ScopedCollection(collections.clients, tenantId),
    clientSecrets: new ScopedCollection(collections.clientSecrets, tenantId),
    failures: new ScopedCollection(collections.failures, tenantId),
    activityHours: new ScopedCollection(collections.activityHours, tenantId),
    transaction: (work) => runtime.transactions.run((session) => work(inTransaction(scope, session))),
    now: runtime.now,
  };
  return scope;
}

function inTransaction(scope: ScopedCollections, session: mongo.ClientSession): ScopedCollections {
  const bound: ScopedCollections = {
    tenantId: scope.tenantId,
    users: scope.users.inSession(session),
    groups: scope.groups.inSession(session),
    memberships: scope.memberships.inSession(session),
    tokens: scope.tokens.inSession(session),
    events: scope.events.inSession(session),
    eventSequences: scope.eventSequences.inSession(session),
    webhooks: scope.webhooks.inSession(session),
    deliveries: scope.deliveries.inSession(session),
    clients: scope.clients.inSession(session),
    clientSecrets: scope.clientSecrets.inSession(session),
    failures: scope.failures.inSession(session),
    activityHours: scope.activityHours.inSession(session),
    transaction: (work) => work(bound),
    session,
    now: scope.now,
  };
  return bound;
}

/** The tokens of no tenant: operator tokens (tenantId null; `tenantId: null` also matches a document without the field). */
export const operatorTokens = (collections: Collections): ScopedCollection<TokenDocument> => new ScopedCollection(collections.tokens, null);
