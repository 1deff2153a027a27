import { invalidClient, invalidRequest, unsupportedGrantType } from './oauth-error';

/** A token request as it arrived: the Authorization header and the form's fields (a repeated field is a list). */
export interface RawTokenRequest {
  readonly authorization?: string;
  readonly form: Readonly<Record<string, unknown>>;
}

/** A client credentials grant request (RFC 6749 §4.4.2), its client authentication read. */
export interface ClientCredentialsRequest {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The requested scope, if any: Roster has one (full SCIM access in the client's tenant). */
  readonly scope?: string;
}

const GRANT_TYPE = 'client_credentials';
const HOW = 'authenticate the client with HTTP Basic (client_id:client_secret) or with the client_id and client_secret form fields';

/**
 * §3.2: parameters sent without a value are treated as omitted; none may be sent twice (a
 * repeated field is not guessed at). Unknown fields are ignored (§3.2: Entra may send more).
 */
function field(form: RawTokenRequest['form'], name: string): string | undefined {
  const value = form[name];
  if (Array.isArray(value)) throw invalidRequest(`${name} is sent more than once; send each parameter once (RFC 6749 section 3.2)`);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${name} must be a plain form field`);
  return value;
}

/** §2.3.1: each half of Basic credentials is form-urlencoded before it is joined with ":" and base64-encoded. */
function formDecode(text: string, what: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw invalidRequest(`The ${what} in the Basic credentials is not validly form-urlencoded`);
  }
}

function basicCredentials(authorization: string): { clientId: string; clientSecret: string } {
  const match = /^basic[ \t]+([A-Za-z0-9+/]+=*)[ \t]*$/i.exec(authorization);
  if (!match) {
    if (/^basic\b/i.test(authorization)) throw invalidRequest('The Basic credentials are not base64 of client_id:client_secret');
    throw invalidClient(`The token endpoint does not take ${authorization.split(/[ \t]/)[0]} authorization; ${HOW}`);
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidRequest('The Basic credentials are not base64 of client_id:client_secret (no colon)');
  return { clientId: formDecode(decoded.slice(0, colon), 'client_id'), clientSecret: formDecode(decoded.slice(colon + 1), 'client_secret') };
}

/**
 * Reads a client credentials request, or says what is wrong with it, in the order a client
 * can act on: the grant type first (a client that asks for another grant learns that before
 * anything about its credentials), then its one authentication method (§2.3: never two).
 */
export function parseTokenRequest({ authorization, form }: RawTokenRequest): ClientCredentialsRequest {
  const grantType = field(form, 'grant_type');
  if (grantType === undefined) throw invalidRequest(`grant_type is missing; this endpoint takes grant_type=${GRANT_TYPE}`);
  if (grantType !== GRANT_TYPE) throw unsupportedGrantType(`Roster issues tokens for grant_type=${GRANT_TYPE} only, not ${grantType.slice(0, 64)}`);
  const scope = field(form, 'scope');
  const formId = field(form, 'client_id');
  const formSecret = field(form, 'client_secret');
  if (authorization !== undefined && authorization.trim() !== '') {
    const basic = basicCredentials(authorization.trim());
    if (formSecret !== undefined) throw invalidRequest('The client authenticated twice (Basic and client_secret); use one method only (RFC 6749 section 2.3)');
    // Some clients repeat their id in the form: harmless when it is the same client.
    if (formId !== undefined && formId !== basic.clientId) throw invalidRequest('client_id in the form names another client than the Basic credentials');
    return { ...basic, ...(scope === undefined ? {} : { scope }) };
  }
  if (formId === undefined && formSecret === undefined) throw invalidClient(`No client authentication was sent; ${HOW}`);
  if (formId === undefined) throw invalidRequest('client_secret was sent without client_id');
  if (formSecret === undefined) throw invalidClient('client_secret is missing: Roster\'s clients are confidential and must authenticate');
  return { clientId: formId, clientSecret: formSecret, ...(scope === undefined ? {} : { scope }) };
}
