/**
 * The error codes of the token endpoint (RFC 6749 §5.2), and `temporarily_unavailable`
 * (§4.1.2.1), the registered code closest to "too many failures, come back later" and "the
 * store is out of reach" (an OAuth client understands these better than a SCIM error body).
 */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'temporarily_unavailable';

/** The scheme a 401 challenges the client to use (RFC 6749 §2.3.1, RFC 7617). */
export const BASIC_CHALLENGE = 'Basic realm="Roster", charset="UTF-8"';

/**
 * RFC 6749 §5.2: error_description is printable ASCII without `"` and `\` (it may travel in a
 * header). Descriptions are written that way; this keeps an echoed value from breaking the rule.
 */
const describable = (text: string): string => text.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?');

/** A refusal of POST /oauth/token, answered as `{"error", "error_description"}` (not a SCIM error). */
export class OAuthError extends Error {
  readonly description: string;

  constructor(
    readonly status: number,
    readonly code: OAuthErrorCode,
    description: string,
    /** Extra response headers (WWW-Authenticate, Retry-After, Allow). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(describable(description));
    this.description = describable(description);
    this.name = 'OAuthError';
  }

  get body(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}

export const invalidRequest = (description: string, status = 400) => new OAuthError(status, 'invalid_request', description);

/**
 * 401 with a Basic challenge. RFC 6749 asks for it when the client used Basic; it is sent on
 * every invalid_client because HTTP requires a challenge on every 401 (RFC 9110 §15.5.2).
 */
export const invalidClient = (description: string) => new OAuthError(401, 'invalid_client', description, { 'WWW-Authenticate': BASIC_CHALLENGE });

export const unsupportedGrantType = (description: string) => new OAuthError(400, 'unsupported_grant_type', description);

/** 429 or 503: the client should wait `retryAfter` seconds (a header value, as the limiters give it). */
export const temporarilyUnavailable = (status: 429 | 503, description: string, retryAfter?: string) =>
  new OAuthError(status, 'temporarily_unavailable', description, retryAfter === undefined ? {} : { 'Retry-After': retryAfter });
