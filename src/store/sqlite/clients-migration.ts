/**
 * Migration 7: OAuth clients (client credentials grant) and their secrets.
 *
 * A client's id is its client_id: the primary key, so unique across tenants (POST /oauth/token
 * finds the tenant through it). Its secrets reference it by (tenant_id, client_id), so the
 * database itself refuses a secret of one tenant on a client of another. A secret is kept as the
 * SHA-256 of its value, unique across tenants like a token's (it is found by its hash alone),
 * and always expires.
 *
 * An access token issued to a client is a row of `tokens` with client_id and secret_id set.
 * Three partial indexes hold only those rows (the other tokens never pay for them): by secret,
 * to revoke a secret's tokens with it; by client, to erase them with the client; by (tenant,
 * expiry), for the retention sweep that erases expired ones. The foreign keys have no cascade:
 * every delete names its children first (sqlite-clients.ts, tenant-erase.ts), and a delete that
 * forgot one fails instead of leaving a token of no client.
 */
export const clientsMigration = `
  CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    name TEXT NOT NULL,
    created TEXT NOT NULL
  );
  CREATE UNIQUE INDEX clients_tenant_id ON clients (tenant_id, id);

  CREATE TABLE client_secrets (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    expires TEXT NOT NULL,
    revoked TEXT,
    last_used TEXT,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id)
  );
  CREATE INDEX client_secrets_client ON client_secrets (tenant_id, client_id, created);

  ALTER TABLE tokens ADD COLUMN client_id TEXT REFERENCES clients (id);
  ALTER TABLE tokens ADD COLUMN secret_id TEXT REFERENCES client_secrets (id);
  CREATE INDEX tokens_secret ON tokens (secret_id) WHERE secret_id IS NOT NULL;
  CREATE INDEX tokens_client ON tokens (client_id, tenant_id) WHERE client_id IS NOT NULL;
  CREATE INDEX tokens_access_expires ON tokens (tenant_id, expires) WHERE client_id IS NOT NULL;
`;
