import { call } from './http';

/** A client secret's metadata (src/app/clients.ts): never the secret itself. */
export interface ClientSecret {
  readonly id: string;
  readonly created: string;
  readonly expires: string;
  readonly revoked: string | null;
  readonly lastUsed: string | null;
  readonly state: 'active' | 'expired' | 'revoked';
}

/** An OAuth client (client credentials) an identity provider such as Entra ID signs in with. */
export interface OAuthClient {
  readonly clientId: string;
  readonly name: string;
  readonly created: string;
  readonly secrets: ClientSecret[];
}

/** A new secret: `clientSecret` is in this answer only, with the two URLs the identity provider asks for. */
export interface NewSecret {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly secret: ClientSecret;
  readonly tokenUrl: string;
  readonly scimUrl: string;
}

export type NewClient = NewSecret & { readonly name: string; readonly created: string };

/** `admin` is the tenant's admin path (/admin/tenants/{id}); its clients are under /clients. */
const clientsOf = (admin: string) => `${admin}/clients`;
const clientOf = (admin: string, clientId: string) => `${clientsOf(admin)}/${encodeURIComponent(clientId)}`;

export const listClients = (token: string, admin: string): Promise<OAuthClient[]> =>
  call<{ clients: OAuthClient[] }>(token, 'GET', clientsOf(admin)).then((a) => a.body.clients);

/** Without `secretExpiresInDays` the first secret lasts the server's default (a year); a value that is not whole days is the server's to refuse. */
export const createClient = (token: string, admin: string, request: { name: string; secretExpiresInDays?: number | string }): Promise<NewClient> =>
  call<NewClient>(token, 'POST', clientsOf(admin), { body: request }).then((a) => a.body);

export const deleteClient = (token: string, admin: string, clientId: string): Promise<void> =>
  call<undefined>(token, 'DELETE', clientOf(admin, clientId)).then(() => undefined);

/** A second secret beside the others, so the identity provider can rotate without a gap. */
export const addClientSecret = (token: string, admin: string, clientId: string, request: { expiresInDays?: number } = {}): Promise<NewSecret> =>
  call<NewSecret>(token, 'POST', `${clientOf(admin, clientId)}/secrets`, { body: request }).then((a) => a.body);

export const revokeClientSecret = (token: string, admin: string, clientId: string, secretId: string): Promise<void> =>
  call<undefined>(token, 'DELETE', `${clientOf(admin, clientId)}/secrets/${encodeURIComponent(secretId)}`).then(() => undefined);
