/**
 * The one error type of the protocol layer (RFC 7644 §3.12). Everything a client can get wrong
 * is thrown as a ScimError from a factory below; the HTTP layer renders it in exactly one place.
 */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  // RFC 9865 §2.1 (cursor pagination): 400 answers to a bad cursor or count.
  | 'invalidCursor'
  | 'expiredCursor'
  | 'invalidCount';

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    readonly detail: string,
    /** Extra response headers (WWW-Authenticate, Allow, Retry-After). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = 'ScimError';
  }
}

export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The §3.12 error body: of a single request's response, and of a failed /Bulk operation's result. */
export const scimErrorBody = (error: ScimError) => ({
  schemas: [ERROR_URN],
  status: String(error.status),
  ...(error.scimType ? { scimType: error.scimType } : {}),
  detail: error.detail,
});

export const invalidFilter = (detail: string) => new ScimError(400, 'invalidFilter', detail);
export const tooMany = (detail: string) => new ScimError(400, 'tooMany', detail);
export const uniqueness = (detail: string) => new ScimError(409, 'uniqueness', detail);
export const mutability = (detail: string) => new ScimError(400, 'mutability', detail);
export const invalidSyntax = (detail: string) => new ScimError(400, 'invalidSyntax', detail);
export const invalidPath = (detail: string) => new ScimError(400, 'invalidPath', detail);
export const noTarget = (detail: string) => new ScimError(400, 'noTarget', detail);
export const invalidValue = (detail: string) => new ScimError(400, 'invalidValue', detail);
export const invalidVersion = (detail: string) => new ScimError(400, 'invalidVers', detail);
export const sensitive = (detail: string) => new ScimError(403, 'sensitive', detail);
/** RFC 9865 §2.1: a cursor this server did not issue for this query, or one it cannot read. */
export const invalidCursor = (detail: string) => new ScimError(400, 'invalidCursor', detail);
/** RFC 9865 §2.1: a cursor older than the cursorTimeout (Roster's cursors do not expire; kept for completeness). */
export const expiredCursor = (detail: string) => new ScimError(400, 'expiredCursor', detail);
/** RFC 9865 §2.1: a count that is not a whole number, on a cursor-paginated request. */
export const invalidCount = (detail: string) => new ScimError(400, 'invalidCount', detail);

export const notFound = (detail: string) => new ScimError(404, undefined, detail);
export const unauthorized = (detail: string) =>
  new ScimError(401, undefined, detail, { 'WWW-Authenticate': 'Bearer realm="Roster"' });
export const forbidden = (detail: string) => new ScimError(403, undefined, detail);
export const methodNotAllowed = (allowed: readonly string[]) =>
  new ScimError(405, undefined, `This endpoint supports ${allowed.join(', ')}.`, { Allow: allowed.join(', ') });
export const preconditionFailed = (detail: string) => new ScimError(412, undefined, detail);
export const payloadTooLarge = (detail: string) => new ScimError(413, undefined, detail);
export const unsupportedMediaType = (detail: string) => new ScimError(415, undefined, detail);
export const conflict = (detail: string) => new ScimError(409, undefined, detail);
export const unavailable = (detail: string, retryAfterSeconds: number) =>
  new ScimError(503, undefined, detail, { 'Retry-After': String(retryAfterSeconds) });
/** RFC 6585 §4; RFC 7644 defines no scimType for it. */
export const tooManyRequests = (detail: string, retryAfterSeconds: number) =>
  new ScimError(429, undefined, detail, { 'Retry-After': String(retryAfterSeconds) });
