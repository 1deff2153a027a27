/** The store port's failures (re-exported by port.ts); app/failures.ts turns them into SCIM errors. */

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
