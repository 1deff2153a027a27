/**
 * OAuth 2.0 clients' part of the store port (re-exported by port.ts): the clients a tenant
 * registered for the client credentials grant (RFC 6749 §4.4), and their secrets. An access
 * token issued to a client is an ordinary TokenRecord with `clientId` and `secretId` set.
 */

export interface ClientRecord {
  /** The client_id: random, unique across every tenant (POST /oauth/token finds the tenant by it). */
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly created: string;
}

export interface ClientSecretRecord {
  readonly id: string;
  readonly clientId: string;
  /** SHA-256 of the secret (256 random bits, so a plain hash is enough, as for tokens). */
  readonly hash: string;
  readonly created: string;
  /** Secrets always expire (Entra ID's gallery asks for 1 to 3 years). */
  readonly expires: string;
  readonly revoked?: string;
  readonly lastUsed?: string;
}

/**
 * One tenant's clients. Every method sees that tenant only: a client id of another tenant is
 * not found.
 */
export interface ClientStore {
  /** The tenant is written by the store; records client.created. */
  create(client: Omit<ClientRecord, 'tenantId'>): Promise<ClientRecord>;
  /** In creation order. */
  list(): Promise<readonly ClientRecord[]>;
  get(id: string): Promise<ClientRecord | undefined>;
  /**
   * Removes the client, its secrets and every access token issued to it, in one transaction
   * with its client.deleted; false when there was none.
   */
  remove(id: string): Promise<boolean>;
  /** Records client.secret_added; undefined when the client does not exist. */
  addSecret(secret: Omit<ClientSecretRecord, 'revoked' | 'lastUsed'>): Promise<ClientSecretRecord | undefined>;
  /** The client's secrets (revoked ones included), in creation order. */
  secrets(clientId: string): Promise<readonly ClientSecretRecord[]>;
  /**
   * Marks the secret revoked at `at` and, in the same transaction, every access token issued
   * with it, recording client.secret_revoked; false when the client has no such secret. A
   * secret revoked before keeps its first time and records nothing (true).
   */
  revokeSecret(clientId: string, secretId: string, at: string): Promise<boolean>;
  /**
   * Erases access tokens of this tenant's clients that expired before `before`, oldest first;
   * returns how many. With `limit`: at most that many in one short write (fewer than `limit`:
   * none are left); without: all, in short writes with a turn of the event loop between.
   * Records nothing: issuing one recorded nothing either.
   */
  purgeAccessTokens(before: string, limit?: number): Promise<number>;
}

/**
 * A client secret found by its hash, across tenants, with the client it belongs to. Revoked and
 * expired secrets are found too (as Credentials.findByHash finds revoked tokens): the caller
 * decides, and can say why it refuses.
 */
export interface ClientCredential {
  readonly client: ClientRecord;
  readonly secret: ClientSecretRecord;
}
