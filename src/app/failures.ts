import { ScimError, conflict, invalidCursor, invalidFilter, invalidPath, invalidValue, unavailable, uniqueness } from '../scim/errors';
import { InvalidPosition, StoreUnavailable, TenantExists, UniquenessViolation, UnknownMembers, UnsupportedQuery } from '../store/port';

/**
 * The one place store and domain failures become SCIM errors (RFC 7644 §3.12): single requests
 * (http/errors.ts), every /Bulk operation and the CLI all go through here. Undefined: not a
 * failure a client can cause or wait out, so a bug (500, logged).
 */
export function scimErrorOf(error: unknown): ScimError | undefined {
  if (error instanceof ScimError) return error;
  if (error instanceof UniquenessViolation && error.heldByDeleted) {
    return uniqueness(`${error.field} ${JSON.stringify(error.value)} belongs to a deleted account, which keeps it until purged: restore that account (POST /admin/users/restore) or choose another ${error.field}`);
  }
  if (error instanceof UniquenessViolation) {
    return uniqueness(`${error.field} ${JSON.stringify(error.value)} is already taken (compared without regard to case)`);
  }
  if (error instanceof UnknownMembers) return invalidValue(`Cannot add members: ${error.message}`);
  if (error instanceof UnsupportedQuery) return error.part === 'sort' ? invalidPath(error.message) : invalidFilter(error.message);
  // RFC 9865 §2.1: a well-formed cursor whose position is not a place in this query's order.
  if (error instanceof InvalidPosition) {
    return invalidCursor('The cursor does not name a place in the order of this query; send the nextCursor of the previous page unchanged, or an empty cursor to start again');
  }
  if (error instanceof TenantExists) return conflict(`${error.message}; choose another id`);
  // Not the client's doing, but not a bug either: the database is out of reach for now.
  if (error instanceof StoreUnavailable) return unavailable(`${error.message}; try again later`, error.retryAfterSeconds);
  return undefined;
}

/** For awaiting store calls: a failure the client should see as SCIM is rethrown as one. */
export const asScimFailure = (error: unknown): Promise<never> => Promise.reject(scimErrorOf(error) ?? error);
