import type { ResolvedFilter } from '../scim/filter/resolved';
import type { ResolvedAttribute } from '../scim/schema/resolve-attribute';
import type { JsonObject } from '../scim/values/json';
import type { ClientCredential, ClientStore } from './clients-port';
import type { EventLog, Journal, Outbox, WebhookStore } from './events-port';
import type { FailureLog } from './failures-port';
import type { TenantRegistry } from './tenants-port';

export * from './clients-port';
export * from './events-port';
export * from './failures-port';
export * from './tenants-port';
export * from './store-errors';

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

/** A soft-deleted user, as the deleted-users listing shows it. */
export interface DeletedUser extends StoredUser {
  readonly deletedAt: string;
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
  /**
   * The permissions the group grants its members (the Roster Group extension's `permissions`),
   * each once; absent when it grants none. What a user's effectivePermissions inherits.
   */
  readonly permissions?: readonly string[];
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

/** One write of a batch: what it created, or why it failed (the error `create` would have thrown). */
export type BatchResult<T> = { readonly created: T } | { readonly failed: unknown };

/** A user is found for restore by id or by userName (compared without regard to case). */
export type UserKey = { readonly id: string } | { readonly userName: string };

/**
 * Users. A deleted user is soft-deleted: hidden from get, list, filters and group members, but
 * its row, attributes, memberships and userName stay until `purgeDeleted` erases it.
 */
export interface UserStore {
  create(write: UserWrite): Promise<StoredUser>;
  /**
   * Group commit for imports (POST /Bulk): creates each user as `create` would, all in one
   * transaction with a savepoint per user, so each succeeds or fails alone (a taken userName
   * fails that user only) and the results are in the order of `writes`.
   */
  createMany(writes: readonly UserWrite[]): Promise<readonly BatchResult<StoredUser>[]>;
  get(id: string): Promise<StoredUser | undefined>;
  update(id: string, expected: ExpectedVersion, write: UserWrite): Promise<UpdateResult<StoredUser>>;
  /** Soft delete. */
  delete(id: string, expected: ExpectedVersion): Promise<UpdateResult<null>>;
  /** Brings a soft-deleted user back with its memberships; undefined when no deleted user matches. */
  restore(key: UserKey): Promise<StoredUser | undefined>;
  /**
   * Erases users soft-deleted before `before`, oldest first, with their tokens and memberships
   * (a user.erased event each); returns their ids and userNames. With `limit`: at most that many,
   * in one short transaction (fewer than `limit`: none are left). Without: all of them, in short
   * transactions with a turn of the event loop between (SQLite: 250 users each).
   */
  purgeDeleted(before: string, limit?: number): Promise<readonly PurgedUser[]>;
  /**
   * Soft-deletes the live users the filter selects (the retention sweep passes the domain's
   * "Inactive since before …" filter: the meaning lives in the domain, the adapter only compiles
   * it), a user.deleted event each; returns them. Never one long transaction: SQLite, whose
   * filter on JSON attributes no index serves, examines the users a window of 5,000 rows at a
   * time (at most 250 deleted per transaction, a turn of the event loop between), so a sweep that
   * finds few users still holds the event loop only a window's worth at a time; MongoDB finds
   * them through its indexes and deletes each in its own transaction. `limit` stops it after
   * that many (fewer: none are left); a call always starts from the beginning.
   */
  softDeleteWhere(filter: ResolvedFilter, limit?: number): Promise<readonly PurgedUser[]>;
  list(query: ListQuery): Promise<Page<StoredUser>>;
  /**
   * Soft-deleted users (only those), filtered, sorted and paged like `list` (offset or cursor);
   * each with when it was deleted.
   */
  listDeleted(query: ListQuery): Promise<Page<DeletedUser>>;
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
  /**
   * One page of one group's (live) members in membership order, with their total: by offset,
   * or after a position this method returned (`next`), reading about `limit` rows at any depth.
   * undefined when there is no such group.
   */
  membersPage(groupId: string, query: MembersQuery): Promise<Page<MemberRef> | undefined>;
}

/** A page of a group's members: `offset` is ignored when `after` is given. */
export interface MembersQuery {
  readonly offset: number;
  readonly limit: number;
  readonly after?: ListPosition;
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
  /** The operator token registered from SCIM_BOOTSTRAP_TOKEN (absent on every other token). */
  readonly bootstrap?: true;
  /** The tenant the token belongs to; absent for an operator token (which belongs to none). */
  readonly tenantId?: string;
  /** An OAuth access token: the client it was issued to (POST /oauth/token); absent on every other token. */
  readonly clientId?: string;
  /** An OAuth access token: the client secret it was issued with (revoking the secret revokes it). */
  readonly secretId?: string;
}

/**
 * The tokens of one scope: one tenant's (service and user-bound tokens), or the operators'
 * (tokens of no tenant; never user-bound). Every method sees that scope only: a token id of
 * another scope is not found.
 */
export interface TokenStore {
  /** The scope's tenant is written by the store; a `tenantId` in the argument is ignored. */
  create(token: Omit<TokenRecord, 'lastUsed' | 'revoked' | 'tenantId'>): Promise<TokenRecord>;
  /** Service (or operator) tokens when userId is undefined, else that user's tokens; never OAuth access tokens. */
  list(userId?: string): Promise<readonly TokenRecord[]>;
  get(id: string): Promise<TokenRecord | undefined>;
  /** Removes a token for good; false when there was none. */
  remove(id: string): Promise<boolean>;
  /** Returns false when no such token exists. */
  revoke(id: string, at: string): Promise<boolean>;
  /** Marks every token of the user revoked at `at`, keeping earlier revocation times. */
  revokeOfUser(userId: string, at: string): Promise<void>;
}

/**
 * The only look-ups across tenants, and only of tokens: a request's token is found by the hash
 * of its secret before anyone knows which tenant it is for (the record says). A secret is 256
 * random bits, so its hash is unique across every tenant.
 */
export interface Credentials {
  findByHash(hash: string): Promise<TokenRecord | undefined>;
  touch(id: string, at: string): Promise<void>;
  /** Every bootstrap token, revoked or not (including those stored before the flag existed). */
  listBootstrap(): Promise<readonly TokenRecord[]>;
  /** A client secret by its hash, in every tenant at once (POST /oauth/token), with its client. */
  findClientSecret(hash: string): Promise<ClientCredential | undefined>;
  /** Records when a client secret was last used (at most once a minute, as for tokens). */
  touchClientSecret(id: string, at: string): Promise<void>;
}

/**
 * Everything one tenant holds. Every query it runs is scoped to that tenant, and every write
 * records its events through the journal the port was opened with, in the write's transaction.
 */
export interface TenantStore {
  readonly tenantId: string;
  readonly users: UserStore;
  readonly groups: GroupStore;
  readonly tokens: TokenStore;
  readonly clients: ClientStore;
  readonly events: EventLog;
  readonly webhooks: WebhookStore;
  /** The tenant's failed requests, the newest MAX_KEPT_FAILURES of them. */
  readonly failures: FailureLog;
}

/**
 * The store. Tenancy is structural: resources are reached only through `tenant(id)`, whose
 * every query is scoped to that tenant, so an unscoped query cannot be written above the store.
 */
export interface Store {
  /** e.g. "sqlite:/var/lib/roster/roster.db", for the start-up log line. */
  readonly description: string;
  /**
   * The port scoped to one tenant, its writes recorded by `journal` (the events of a request's
   * changes name the request's actor). It does not check that the tenant exists (the registry does).
   */
  tenant(id: string, journal: Journal): TenantStore;
  readonly tenants: TenantRegistry;
  /** Operator tokens: no tenant, never user-bound; they manage tenants and may act in any. */
  readonly operators: TokenStore;
  readonly credentials: Credentials;
  /** The webhook dispatcher's leases, across tenants. */
  readonly outbox: Outbox;
  close(): Promise<void>;
  /**
   * Whether the store can serve requests right now (GET /readyz). An embedded store always can;
   * a networked one cannot while it has lost its database and waits for the driver to reconnect.
   * Absent means always ready.
   */
  ready?(): boolean;
}
