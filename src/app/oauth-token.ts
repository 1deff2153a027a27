import { randomUUID } from 'node:crypto';
import { hashSecret, newAccessToken } from '../domain/oauth/credentials';
import { invalidClient, temporarilyUnavailable } from '../domain/oauth/oauth-error';
import { accessTokenSeconds, secretState } from '../domain/oauth/secret-lifetime';
import { parseTokenRequest, type RawTokenRequest } from '../domain/oauth/token-request';
import type { Principal } from '../domain/principal';
import type { ClientCredential, Store } from '../store/port';
import { clientPrincipal } from './authenticate';
import { scimErrorOf } from './failures';
import { journalOf } from './journals';

// What the HTTP layer names of the layers below, without importing them.
export { OAuthError, temporarilyUnavailable, invalidRequest } from '../domain/oauth/oauth-error';
export type { RawTokenRequest } from '../domain/oauth/token-request';

/** The one scope Roster grants: the client's tenant's SCIM endpoints, reading and writing. */
export const GRANTED_SCOPE = 'scim';

/** The successful response of RFC 6749 §5.1, as sent. */
export interface AccessTokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  /** §3.3: said when the client asked for a scope, since the scope granted may differ from it. */
  readonly scope?: string;
}

export interface IssuedToken {
  readonly response: AccessTokenResponse;
  /** Who the token will act as (the request log names it). */
  readonly principal: Principal;
}

/** last_used of a secret is written at most once a minute, as for tokens. */
const TOUCH_INTERVAL_MS = 60_000;
/** One answer for an unknown secret and for a secret of another client: neither tells which it was. */
const NOT_VALID = 'The client credentials are not valid (check the client_id and client_secret the admin API or CLI gave)';

/**
 * POST /oauth/token: the client credentials grant (RFC 6749 §4.4). The secret is found by its
 * hash in every tenant at once (as bearer tokens are); the client it belongs to must be the one
 * client_id names, and its tenant the token's. The access token is a bearer token stored by its
 * hash, with the client and secret it was issued to, so revoking the secret or deleting the
 * client ends it at once in the same store write (no signing keys to rotate or leak).
 */
export class OAuthTokens {
  constructor(
    private readonly store: Store,
    /** OAUTH_TOKEN_TTL. */
    private readonly ttlMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Throws OAuthError for anything the client did wrong (a 401 is a failed authentication). */
  async issue(raw: RawTokenRequest, requestId?: string): Promise<IssuedToken> {
    const request = parseTokenRequest(raw);
    const now = this.now();
    const { client, secret } = await this.credentialOf(request.clientId, request.clientSecret, now);
    const seconds = accessTokenSeconds(now, this.ttlMs, secret.expires);
    if (seconds === 0) throw invalidClient('The client secret expires within a second; add a new secret and use it');
    const principal = clientPrincipal(client.tenantId, client.id, client.name);
    const token = newAccessToken();
    const created = now.toISOString();
    const expires = new Date(now.getTime() + seconds * 1000).toISOString();
    await this.store.tenant(client.tenantId, journalOf(principal, requestId)).tokens
      .create({ id: randomUUID(), name: client.name, hash: hashSecret(token), created, expires, clientId: client.id, secretId: secret.id })
      .catch(unavailable);
    if (!secret.lastUsed || now.getTime() - Date.parse(secret.lastUsed) > TOUCH_INTERVAL_MS) {
      await this.store.credentials.touchClientSecret(secret.id, created).catch(unavailable);
    }
    const response: AccessTokenResponse = { access_token: token, token_type: 'Bearer', expires_in: seconds, ...(request.scope === undefined ? {} : { scope: GRANTED_SCOPE }) };
    return { response, principal };
  }

  private async credentialOf(clientId: string, clientSecret: string, now: Date): Promise<ClientCredential> {
    const found = await this.store.credentials.findClientSecret(hashSecret(clientSecret)).catch(unavailable);
    if (!found || found.client.id !== clientId) throw invalidClient(NOT_VALID);
    const state = secretState(found.secret, now);
    if (state === 'revoked') throw invalidClient('This client secret has been revoked; use another secret of the client');
    if (state === 'expired') throw invalidClient(`This client secret expired at ${found.secret.expires}; add a new one (POST /admin/clients/{clientId}/secrets) and give it to the identity provider`);
    // A tenant being erased serves nothing, its clients included.
    const tenant = await this.store.tenants.get(found.client.tenantId).catch(unavailable);
    if (!tenant || tenant.deleting) throw invalidClient(NOT_VALID);
    return found;
  }
}

/** A store that is out of reach is a 503 the client may retry; anything else is a bug (500). */
function unavailable(error: unknown): never {
  const scim = scimErrorOf(error);
  if (scim && scim.status === 503) throw temporarilyUnavailable(503, scim.detail, scim.headers['Retry-After']);
  throw error;
}
