import { randomUUID } from 'node:crypto';
import { checkClientAdministrator } from '../domain/oauth/administration';
import { hashSecret, newClientId, newClientSecret } from '../domain/oauth/credentials';
import { MAX_ACTIVE_SECRETS, MAX_CLIENTS } from '../domain/oauth/client-limits';
import { secretDays, secretExpiry, secretState, type SecretState } from '../domain/oauth/secret-lifetime';
import type { Principal } from '../domain/principal';
import { invalidValue, notFound } from '../scim/errors';
import type { JsonObject } from '../scim/values/json';
import type { ClientRecord, ClientSecretRecord, ClientStore } from '../store/port';

const MAX_NAME = 256;

/** A secret as the admin API shows it: never the secret itself (shown once) nor its hash. */
export interface SecretView {
  readonly id: string;
  readonly created: string;
  readonly expires: string;
  readonly revoked: string | null;
  readonly lastUsed: string | null;
  readonly state: SecretState;
}

export interface ClientView {
  readonly clientId: string;
  readonly name: string;
  readonly created: string;
  readonly secrets: readonly SecretView[];
}

/** A new secret, with the secret itself: the only time anyone sees it. */
export interface NewSecret {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly secret: SecretView;
}

export type NewClient = Omit<ClientView, 'secrets'> & NewSecret;

function onlyKeys(body: JsonObject, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length) throw invalidValue(`${what} takes ${allowed.join(', ')}; not ${unknown.join(', ')}`);
}

function clientName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalidValue('Name the client: {"name": "entra"} (it says which identity provider holds it)');
  if (value.trim().length > MAX_NAME) throw invalidValue(`name takes at most ${MAX_NAME} characters`);
  return value.trim();
}

const noClient = (id: string) => notFound(`No OAuth client has the id ${JSON.stringify(id)} in this tenant`);

/**
 * One tenant's OAuth clients (client credentials, RFC 6749 §4.4) and their secrets, managed by
 * the tenant's administrators: operator tokens and its static service tokens, never an access
 * token (domain/oauth/administration.ts). A client has several secrets so it can rotate: add
 * the new one, give it to the identity provider, then revoke the old one.
 */
export class Clients {
  constructor(
    private readonly store: ClientStore,
    private readonly actor: Principal,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `{"name", "secretExpiresInDays"?}` → the client with its first secret, shown this once. */
  async create(body: JsonObject): Promise<NewClient> {
    checkClientAdministrator(this.actor);
    onlyKeys(body, ['name', 'secretExpiresInDays'], 'A client');
    const name = clientName(body.name);
    const days = secretDays(body.secretExpiresInDays, 'secretExpiresInDays');
    if ((await this.store.list()).length >= MAX_CLIENTS) throw invalidValue(`A tenant may have at most ${MAX_CLIENTS} OAuth clients; delete one it no longer uses first`);
    const client = await this.store.create({ id: newClientId(), name, created: this.now().toISOString() });
    const { clientSecret, secret } = await this.issueSecret(client, days);
    return { clientId: client.id, name: client.name, created: client.created, clientSecret, secret };
  }

  async list(): Promise<ClientView[]> {
    checkClientAdministrator(this.actor);
    return Promise.all((await this.store.list()).map((client) => this.view(client)));
  }

  async get(id: string): Promise<ClientView> {
    checkClientAdministrator(this.actor);
    return this.view(await this.client(id));
  }

  /** `{"expiresInDays"?}` → a new secret beside the others (rotation), shown this once. */
  async addSecret(id: string, body: JsonObject): Promise<NewSecret> {
    checkClientAdministrator(this.actor);
    onlyKeys(body, ['expiresInDays'], 'A new secret');
    const days = secretDays(body.expiresInDays, 'expiresInDays');
    const client = await this.client(id);
    const now = this.now();
    const active = (await this.store.secrets(client.id)).filter((s) => secretState(s, now) === 'active').length;
    if (active >= MAX_ACTIVE_SECRETS) {
      throw invalidValue(`A client may have at most ${MAX_ACTIVE_SECRETS} active secrets; revoke one the identity provider no longer uses first`);
    }
    return this.issueSecret(client, days);
  }

  /** Revokes the secret and, in the same store write, every access token issued with it. */
  async revokeSecret(id: string, secretId: string): Promise<void> {
    checkClientAdministrator(this.actor);
    if (!(await this.store.revokeSecret(id, secretId, this.now().toISOString()))) {
      throw notFound(`OAuth client ${JSON.stringify(id)} has no secret ${JSON.stringify(secretId)} in this tenant`);
    }
  }

  /** Deletes the client, its secrets and its access tokens: they stop working at once. */
  async delete(id: string): Promise<void> {
    checkClientAdministrator(this.actor);
    if (!(await this.store.remove(id))) throw noClient(id);
  }

  private async issueSecret(client: ClientRecord, days: number): Promise<NewSecret> {
    const clientSecret = newClientSecret();
    const created = this.now();
    const secret = await this.store.addSecret({ id: randomUUID(), clientId: client.id, hash: hashSecret(clientSecret), created: created.toISOString(), expires: secretExpiry(created, days) });
    // Deleted between the look-up and the insert.
    if (!secret) throw noClient(client.id);
    return { clientId: client.id, clientSecret, secret: this.secretView(secret) };
  }

  private async client(id: string): Promise<ClientRecord> {
    const client = await this.store.get(id);
    if (!client) throw noClient(id);
    return client;
  }

  private async view(client: ClientRecord): Promise<ClientView> {
    const secrets = await this.store.secrets(client.id);
    return { clientId: client.id, name: client.name, created: client.created, secrets: secrets.map((s) => this.secretView(s)) };
  }

  private secretView(s: ClientSecretRecord): SecretView {
    return { id: s.id, created: s.created, expires: s.expires, revoked: s.revoked ?? null, lastUsed: s.lastUsed ?? null, state: secretState(s, this.now()) };
  }
}
