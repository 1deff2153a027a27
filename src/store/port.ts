import type { ResolvedFilter } from '../scim/filter/resolved';
import type { ResolvedAttribute } from '../scim/schema/resolve-attribute';
import type { JsonObject } from '../scim/values/json';

/**
 * The one store port. Adapters (`sqlite`, `mongo`) implement it; the domain layer is its only
 * caller. Concurrency lives here: updates are conditional on a version, membership changes are
 * single atomic set operations, uniqueness is enforced by unique indexes.
 */
export interface StoredResource {
  readonly id: string;
  readonly created: string;
  readonly lastModified: string;
  /** Bumped by every write; rendered as the weak ETag W/"<version>". */
  readonly version: number;
  /** SCIM attributes as served, without id, meta and computed attributes (groups, members). */
  readonly data: JsonObject;
}

export interface StoredUser extends StoredResource {
  readonly passwordHash?: string;
  /** When the user was last soft-deleted, kept after a restore: tokens issued before it stay dead. */
  readonly lastDeletedAt?: string;
}

export type StoredGroup = StoredResource;

export interface SortSpec {
  readonly attribute: ResolvedAttribute;
  readonly descending: boolean;
}

export interface ListQuery {
  readonly filter?: ResolvedFilter;
  readonly sort?: SortSpec;
  /** Zero-based offset (SCIM startIndex - 1). Ignored when `after` is given. */
  readonly offset: number;
  /** Page size; 0 asks for the total only. */
  readonly limit: number;
  /**
   * Cursor (keyset) pagination, RFC 9865: the page is the first `limit` resources that come
   * after this position in the query's order, found by a range condition on the order's keys
   * (never an offset), so a page costs the same at any depth. `[]` starts at the beginning.
   * A position this store did not produce for this order is refused with InvalidPosition.
   */
  readonly after?: ListPosition;
}

/**
 * A place in a list's total order: the order keys of one resource, as the store compares them
 * (the sort value, folded when the sort ignores case, null when the resource has none; then the
 * store's tie-break: SQLite's insertion seq, MongoDB's created and _id). Opaque above the store.
 */
export type ListPosition = readonly ListKey[];
export type ListKey = string | number | boolean | null;

export interface Page<T> {
  readonly total: number;
  readonly items: readonly T[];
  /**
   * For a query with `after`: the position of the last item, when more resources follow it
   * (absent on the last page, and when `limit` is 0).
   */
  readonly next?: ListPosition;
}

/** ListQuery.after does not fit this store and order (a forged or foreign cursor). */
export class InvalidPosition extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'InvalidPosition';
  }
}

export interface PurgedUser {
  readonly id: string;
  readonly userName: string;
}

export interface GroupRef {
  readonly id: string;
  readonly displayName: string;
}

export interface MemberRef {
  readonly id: string;
  readonly display?: string;
}

/** Membership changes are applied in order, each an atomic set operation. */
export type { MemberChange } from '../scim/patch/member-edits';
import type { MemberChange } from '../scim/patch/member-edits';

/** Precondition of a write: the version the caller read, or none (last writer wins). */
export type ExpectedVersion = number | undefined;

export type UpdateResult<T> =
  | { readonly status: 'updated'; readonly resource: T }
  | { readonly status: 'notFound' }
  | { readonly status: 'versionMismatch'; readonly current: number };

export interface UserWrite {
  readonly data: JsonObject;
  /** undefined keeps the current password. */
  readonly passwordHash?: string;
}

/** A user is found for restore by id or by userName (compared without regard to case). */
export type UserKey = { readonly id: string } | { readonly userName: string };

/**
 * Users. A deleted user is soft-deleted: hidden from get, list, filters and group members, but
 * its row, attributes, memberships and userName stay until `purgeDeleted` erases it.
 */
export interface UserStore {
  create(write: UserWrite): Promise<StoredUser>;
  get(id: string): Promise<StoredUser | undefined>;
  update(id: string, expected: ExpectedVersion, write: UserWrite): Promise<UpdateResult<StoredUser>>;
  /** Soft delete. */
  delete(id: string, expected: ExpectedVersion): Promise<UpdateResult<null>>;
  /** Brings a soft-deleted user back with its memberships; undefined when no deleted user matches. */
  restore(key: UserKey): Promise<StoredUser | undefined>;
  /** Erases users soft-deleted before `before`; returns their ids and userNames. */
  purgeDeleted(before: string): Promise<readonly PurgedUser[]>;
  /** Soft-deletes users whose account has been Inactive since before `before`. */
  deleteInactive(before: string): Promise<readonly PurgedUser[]>;
  list(query: ListQuery): Promise<Page<StoredUser>>;
  /** The groups each user is a direct member of, in one query for a whole page. */
  groupsOf(userIds: readonly string[]): Promise<ReadonlyMap<string, readonly GroupRef[]>>;
}

export interface GroupWrite {
  /** undefined leaves the attributes as they are (a members-only PATCH). */
  readonly data?: JsonObject;
  readonly memberChanges?: readonly MemberChange[];
}

export interface GroupStore {
  create(data: JsonObject, memberIds: readonly string[]): Promise<StoredGroup>;
  get(id: string): Promise<StoredGroup | undefined>;
  update(id: string, expected: ExpectedVersion, write: GroupWrite): Promise<UpdateResult<StoredGroup>>;
  delete(id: string, expected: ExpectedVersion): Promise<UpdateResult<null>>;
  list(query: ListQuery): Promise<Page<StoredGroup>>;
  /** The members of each group, in one query for a whole page. */
  membersOf(groupIds: readonly string[]): Promise<ReadonlyMap<string, readonly MemberRef[]>>;
}

export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  /** Set for a user-bound token, which acts as that user; absent for a service token. */
  readonly userId?: string;
  readonly hash: string;
  readonly created: string;
  readonly expires?: string;
  readonly lastUsed?: string;
  readonly revoked?: string;
  /** The service token registered from SCIM_BOOTSTRAP_TOKEN (absent on every other token). */
  readonly bootstrap?: true;
}

export interface TokenStore {
  create(token: Omit<TokenRecord, 'lastUsed' | 'revoked'>): Promise<TokenRecord>;
  findByHash(hash: string): Promise<TokenRecord | undefined>;
  /** Service tokens when userId is undefined, else that user's tokens. */
  list(userId?: string): Promise<readonly TokenRecord[]>;
  /** Every bootstrap token, revoked or not (including those stored before the flag existed). */
  listBootstrap(): Promise<readonly TokenRecord[]>;
  get(id: string): Promise<TokenRecord | undefined>;
  /** Removes a token for good; false when there was none. */
  remove(id: string): Promise<boolean>;
  /** Returns false when no such token exists. */
  revoke(id: string, at: string): Promise<boolean>;
  /** Marks every token of the user revoked at `at`, keeping earlier revocation times. */
  revokeOfUser(userId: string, at: string): Promise<void>;
  touch(id: string, at: string): Promise<void>;
}

export interface Store {
  /** e.g. "sqlite:/var/lib/roster/roster.db", for the start-up log line. */
  readonly description: string;
  readonly users: UserStore;
  readonly groups: GroupStore;
  readonly tokens: TokenStore;
  close(): Promise<void>;
  /**
   * Whether the store can serve requests right now (GET /readyz). An embedded store always can;
   * a networked one cannot while it has lost its database and waits for the driver to reconnect.
   * Absent means always ready.
   */
  ready?(): boolean;
}

/** A unique index refused a write. `field` names the SCIM attribute. */
export class UniquenessViolation extends Error {
  /** `heldByDeleted`: the value belongs to a soft-deleted user, who can be restored. */
  constructor(readonly field: 'userName' | 'displayName', readonly value: string, readonly heldByDeleted = false) {
    super(`${field} ${JSON.stringify(value)} is already taken`);
    this.name = 'UniquenessViolation';
  }
}

/** A membership change named ids that are not users. Nothing was written. */
export class UnknownMembers extends Error {
  constructor(readonly ids: readonly string[]) {
    super(`No user has the id ${ids.map((id) => JSON.stringify(id)).join(', ')}`);
    this.name = 'UnknownMembers';
  }
}

/** The store cannot run this filter or sort (e.g. a computed attribute it has no column for). */
export class UnsupportedQuery extends Error {
  constructor(readonly part: 'filter' | 'sort', readonly what: string) {
    super(`This server does not support ${what}`);
    this.name = 'UnsupportedQuery';
  }
}

/**
 * The store cannot reach its database right now (connection lost, no primary, failover under
 * way). As with any network failure, a write cut off mid-way may or may not have been applied;
 * the client may retry after `retryAfterSeconds`.
 * The HTTP layer answers 503 with Retry-After.
 */
export class StoreUnavailable extends Error {
  constructor(detail: string, readonly retryAfterSeconds = 5, options?: { cause?: unknown }) {
    super(detail, options);
    this.name = 'StoreUnavailable';
  }
}
