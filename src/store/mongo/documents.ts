import type { JsonObject } from '../../scim/values/json';
import type { TenantSettings } from '../port';

/**
 * How the MongoDB adapter lays out its collections. One document per user or group holds the
 * SCIM attributes as served (`data`) and a query copy (`q`): the same attributes with every
 * string of a non-caseExact attribute case-folded (foldCase), so equality, ranges and prefix
 * matches on folded values use ordinary indexes, and $elemMatch on one array sees caseExact and
 * folded sub-attributes side by side. Group membership is one document per (group, member) in
 * `memberships`: a 1,000,000-member group is 1,000,000 small documents, never one large one,
 * and adding a member is one upsert.
 *
 * Every user, group, membership and token document carries the `tenantId` it belongs to, and
 * every query the adapter runs names it (scoped-collection.ts); documents written before tenants
 * existed are moved into `default` at start-up (mongo-migration.ts). The change events and
 * webhooks have documents of their own (event-documents.ts). OAuth clients and their secrets
 * are documents of `clients` and `client_secrets`; the access tokens issued to them are tokens.
 */
export interface UserDocument {
  _id: string;
  tenantId: string;
  version: number;
  created: string;
  lastModified: string;
  /**
   * False exactly while the user is soft-deleted: every read of live users names `live: true`,
   * which the listing indexes lead with, so a count of live users reads index keys only.
   */
  live: boolean;
  /** Soft delete: set while the user is deleted and restorable. */
  deletedAt?: string | null;
  /** When the user was last soft-deleted; a restore keeps it. */
  lastDeletedAt?: string | null;
  passwordHash?: string | null;
  /** foldCase(userName): unique, including deleted users. */
  userNameKey: string;
  /**
   * The ids of the groups the user is a direct member of: the same links as `memberships`,
   * written in the same transaction, so membership filters (`groups.value eq`) are answered by
   * the multikey index on it instead of lists of ids.
   */
  groupIds: string[];
  data: JsonObject;
  q: JsonObject;
}

export interface GroupDocument {
  _id: string;
  tenantId: string;
  version: number;
  created: string;
  lastModified: string;
  /** foldCase(displayName): unique. */
  displayNameKey: string;
  data: JsonObject;
  q: JsonObject;
}

export interface MembershipDocument {
  tenantId: string;
  group: string;
  member: string;
}

export interface TokenDocument {
  _id: string;
  /** null for an operator token (the tokens of no tenant). */
  tenantId: string | null;
  name: string;
  hash: string;
  created: string;
  expires?: string | null;
  lastUsed?: string | null;
  revoked?: string | null;
  userId?: string | null;
  /** Written on every token since the flag exists; absent on older documents (see mongo-tokens.ts). */
  bootstrap?: boolean;
  /** An OAuth access token: the client it was issued to; null or absent on every other token. */
  clientId?: string | null;
  /** An OAuth access token: the client secret it was issued with. */
  secretId?: string | null;
}

/** An OAuth client (client credentials grant): `_id` is its client_id, unique across tenants. */
export interface ClientDocument {
  _id: string;
  tenantId: string;
  name: string;
  created: string;
}

/** One secret of a client, kept as the SHA-256 of its value (unique across tenants: clientSecrets.hash_unique). */
export interface ClientSecretDocument {
  _id: string;
  tenantId: string;
  clientId: string;
  hash: string;
  created: string;
  expires: string;
  revoked: string | null;
  lastUsed: string | null;
}

/** One tenant: the registry's record (its data lives in the other collections, under its id). */
export interface TenantDocument {
  _id: string;
  name: string;
  created: string;
  lastModified: string;
  /** Only the settings an operator set; no key holds undefined or null. */
  settings: TenantSettings;
  /** Set while a forced delete erases the tenant's data. */
  deleting?: string | null;
}

/** A live user: every read of users names it, and the listing indexes lead with it (indexes.ts). */
export const LIVE = { live: true } as const;

/** Soft-deleted users hold the time of their deletion as a string (the partial index `tenant_deleted` holds only them). */
export const DELETED = { $type: 'string' } as const;

/** Which version of this layout the database holds; written by `mongo migrate` (mongo-migration.ts). */
export interface MetaDocument {
  _id: 'schema';
  version: number;
  migrated: string;
}

export const COLLECTIONS = {
  users: 'users',
  groups: 'groups',
  memberships: 'memberships',
  tokens: 'tokens',
  tenants: 'tenants',
  meta: 'roster_meta',
  events: 'events',
  eventSequences: 'event_sequences',
  webhooks: 'webhooks',
  deliveries: 'deliveries',
  clients: 'clients',
  clientSecrets: 'client_secrets',
  // Schema 5: a tenant's failed requests and hourly activity counts (mongo-failures.ts, mongo-activity.ts).
  failures: 'request_failures',
  activityHours: 'activity_hours',
} as const;
