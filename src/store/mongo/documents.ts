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
 * existed are moved into `default` at start-up (mongo-migration.ts).
 */
export interface UserDocument {
  _id: string;
  tenantId: string;
  version: number;
  created: string;
  lastModified: string;
  /** Soft delete: set while the user is deleted and restorable. */
  deletedAt?: string | null;
  /** When the user was last soft-deleted; a restore keeps it. */
  lastDeletedAt?: string | null;
  passwordHash?: string | null;
  /** foldCase(userName): unique, including deleted users. */
  userNameKey: string;
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

export const COLLECTIONS = { users: 'users', groups: 'groups', memberships: 'memberships', tokens: 'tokens', tenants: 'tenants' } as const;
