import { Schema } from 'mongoose';
import { COLLECTIONS } from './documents';
import { indexesOf } from './indexes';
import type { Collections } from './models';

/**
 * What Mongoose is used for: a schema per collection that states which fields each stored
 * document has, of which BSON type, which are required, and its indexes (from indexes.ts).
 * `mongo migrate` installs each schema as the collection's validator (validators.ts: Mongoose's
 * toJSONSchema), so the server checks every insert and update against it, whoever sends it;
 * and Mongoose supplies the driver (`mongo`), in the version it is tested with. Queries do not go
 * through Mongoose models: see Collections (models.ts).
 *
 * The schemas are untyped on purpose: `data` and `q` are arbitrary JSON (JsonObject), which
 * Mongoose's schema type inference cannot expand; documents.ts is the typed description.
 */
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

/** An array of strings that must be present (possibly empty); no null elements. */
const stringList = { type: [{ type: String, required: true }], default: undefined, required: true };

export const userSchema = withIndexes(new Schema({
  ...resourceFields,
  live: { type: Boolean, required: true },
  deletedAt: { type: String, default: null },
  lastDeletedAt: { type: String, default: null },
  passwordHash: { type: String, default: null },
  userNameKey: { type: String, required: true },
  groupIds: stringList,
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
  /** An OAuth access token's client and secret (null on every other token). */
  clientId: { type: String, default: null },
  secretId: { type: String, default: null },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.tokens }), 'tokens');

/** An OAuth client: `_id` is its client_id. */
export const clientSchema = withIndexes(new Schema({
  _id: { type: String, required: true },
  tenantId: { type: String, required: true },
  name: { type: String, required: true },
  created: { type: String, required: true },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.clients }), 'clients');

/** A client secret, as the SHA-256 of its value; it always expires. */
export const clientSecretSchema = withIndexes(new Schema({
  _id: { type: String, required: true },
  tenantId: { type: String, required: true },
  clientId: { type: String, required: true },
  hash: { type: String, required: true },
  created: { type: String, required: true },
  expires: { type: String, required: true },
  revoked: { type: String, default: null },
  lastUsed: { type: String, default: null },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.clientSecrets }), 'clientSecrets');

/** The tenant registry: `_id` is the tenant id. */
export const tenantSchema = withIndexes(new Schema({
  _id: { type: String, required: true },
  name: { type: String, required: true },
  created: { type: String, required: true },
  lastModified: { type: String, required: true },
  settings: { type: Schema.Types.Mixed, required: true },
  deleting: { type: String, default: null },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.tenants }), 'tenants');

/** The schema marker `mongo migrate` writes (mongo-migration.ts). */
export const metaSchema = new Schema({
  _id: { type: String, required: true },
  version: { type: Number, required: true },
  migrated: { type: String, required: true },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.meta });

/** A change event (event-documents.ts): the event as served in `event`, its filters beside it. */
export const eventSchema = withIndexes(new Schema({
  tenantId: { type: String, required: true },
  seq: { type: Number, required: true },
  type: { type: String, required: true },
  occurredAt: { type: String, required: true },
  resourceId: { type: String, required: true },
  memberId: { type: String },
  actorTokenId: { type: String },
  event: { type: Schema.Types.Mixed, required: true },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.events }), 'events');

/**
 * A tenant's event counter: `_id` is the tenant id. Beside it, the tenant's exact totals
 * (resource-counts.ts), moved by the same updates; absent until the first write or the backfill.
 */
export const eventSequenceSchema = new Schema({
  _id: { type: String, required: true },
  tenantId: { type: String, required: true },
  seq: { type: Number, required: true },
  liveUsers: { type: Number },
  deletedUsers: { type: Number },
  groups: { type: Number },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.eventSequences });

export const webhookSchema = withIndexes(new Schema({
  _id: { type: String, required: true },
  tenantId: { type: String, required: true },
  url: { type: String, required: true },
  events: stringList,
  secret: { type: String, required: true },
  description: { type: String, default: null },
  active: { type: Boolean, required: true },
  created: { type: String, required: true },
  lastModified: { type: String, required: true },
  cursor: { type: Number, required: true },
  consecutiveFailures: { type: Number, required: true },
  disabledAt: { type: String, default: null },
  disabledReason: { type: String, default: null },
  leaseOwner: { type: String, default: null },
  leaseUntil: { type: String, default: null },
  fence: { type: Number, required: true },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.webhooks }), 'webhooks');

const attemptSchema = new Schema({
  at: { type: String, required: true },
  statusCode: { type: Number },
  durationMs: { type: Number, required: true },
  error: { type: String },
}, { _id: false, versionKey: false, strict: true });

/** One event queued for one webhook; its _id is the driver's ObjectId. */
export const deliverySchema = withIndexes(new Schema({
  tenantId: { type: String, required: true },
  webhookId: { type: String, required: true },
  eventId: { type: Number, required: true },
  eventType: { type: String, required: true },
  resourceId: { type: String, required: true },
  state: { type: String, enum: ['pending', 'delivered', 'failed'], required: true },
  queuedAt: { type: String, required: true },
  nextAttemptAt: { type: String, default: null },
  attempts: { type: [attemptSchema], default: undefined, required: true },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.deliveries }), 'deliveries');

/** A failed request of a tenant (mongo-failures.ts): the failure as served in `failure`, `seq` its id. */
export const failureSchema = withIndexes(new Schema({
  tenantId: { type: String, required: true },
  seq: { type: Number, required: true },
  status: { type: Number, required: true },
  occurredAt: { type: String, required: true },
  failure: { type: Schema.Types.Mixed, required: true },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.failures }), 'failures');

/** How many events of one type a tenant committed in one hour (mongo-activity.ts). */
export const activityHourSchema = withIndexes(new Schema({
  tenantId: { type: String, required: true },
  hour: { type: String, required: true },
  type: { type: String, required: true },
  n: { type: Number, required: true },
}, { ...SCHEMA_OPTIONS, collection: COLLECTIONS.activityHours }), 'activityHours');

/** The schema of each collection. */
export const SCHEMAS: Readonly<Record<keyof Collections, Schema>> = {
  users: userSchema, groups: groupSchema, memberships: membershipSchema, tokens: tokenSchema, tenants: tenantSchema, meta: metaSchema,
  events: eventSchema, eventSequences: eventSequenceSchema, webhooks: webhookSchema, deliveries: deliverySchema,
  clients: clientSchema, clientSecrets: clientSecretSchema, failures: failureSchema, activityHours: activityHourSchema,
};
