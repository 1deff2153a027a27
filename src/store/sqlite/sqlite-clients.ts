import type { ClientRecord, ClientSecretRecord, ClientStore, Credentials } from '../port';
import type { RecordChange } from './event-append';
import type { Db } from './open-database';
import { perDatabase } from './per-database';

interface ClientRow {
  id: string;
  tenant_id: string;
  name: string;
  created: string;
}

interface SecretRow {
  id: string;
  client_id: string;
  hash: string;
  created: string;
  expires: string;
  revoked: string | null;
  last_used: string | null;
}

const toClient = (row: ClientRow): ClientRecord => ({ id: row.id, tenantId: row.tenant_id, name: row.name, created: row.created });

const toSecret = (row: SecretRow): ClientSecretRecord => ({
  id: row.id,
  clientId: row.client_id,
  hash: row.hash,
  created: row.created,
  expires: row.expires,
  ...(row.revoked ? { revoked: row.revoked } : {}),
  ...(row.last_used ? { lastUsed: row.last_used } : {}),
});

/** Expired access tokens erased per statement without a limit: each a short write (a few ms). */
const PURGE_BATCH = 2000;

const statementsOf = perDatabase((db: Db) => ({
  insert: db.prepare('INSERT INTO clients (id, tenant_id, name, created) VALUES (@id, @tenant, @name, @created) RETURNING *'),
  list: db.prepare('SELECT * FROM clients WHERE tenant_id = ? ORDER BY created, id'),
  byId: db.prepare('SELECT * FROM clients WHERE tenant_id = @tenant AND id = @id'),
  removeTokens: db.prepare('DELETE FROM tokens WHERE client_id = @id AND tenant_id = @tenant'),
  removeSecrets: db.prepare('DELETE FROM client_secrets WHERE tenant_id = @tenant AND client_id = @id'),
  remove: db.prepare('DELETE FROM clients WHERE tenant_id = @tenant AND id = @id'),
  insertSecret: db.prepare(`INSERT INTO client_secrets (id, tenant_id, client_id, hash, created, expires)
    VALUES (@id, @tenant, @clientId, @hash, @created, @expires) RETURNING *`),
  secrets: db.prepare('SELECT * FROM client_secrets WHERE tenant_id = @tenant AND client_id = @clientId ORDER BY created, id'),
  secretById: db.prepare('SELECT * FROM client_secrets WHERE tenant_id = @tenant AND client_id = @clientId AND id = @id'),
  revokeSecret: db.prepare(`UPDATE client_secrets SET revoked = @at
    WHERE tenant_id = @tenant AND client_id = @clientId AND id = @id AND revoked IS NULL RETURNING *`),
  revokeTokens: db.prepare('UPDATE tokens SET revoked = @at WHERE secret_id = @id AND tenant_id = @tenant AND revoked IS NULL'),
  // Through tokens_access_expires, oldest first, `limit` at a time.
  purge: db.prepare(`DELETE FROM tokens WHERE rowid IN (SELECT rowid FROM tokens
    WHERE tenant_id = @tenant AND client_id IS NOT NULL AND expires < @before ORDER BY expires LIMIT @limit)`),
  secretByHash: db.prepare(`SELECT s.*, c.tenant_id AS client_tenant_id, c.name AS client_name, c.created AS client_created
    FROM client_secrets s JOIN clients c ON c.id = s.client_id WHERE s.hash = ?`),
  touchSecret: db.prepare('UPDATE client_secrets SET last_used = ? WHERE id = ?'),
}));

/**
 * One tenant's OAuth clients and their secrets (kept as SHA-256 hashes). Each write is one
 * transaction with its event; the access tokens issued to a client are rows of `tokens`
 * (sqlite-tokens.ts writes them), revoked and erased here with their secret or client.
 */
export function sqliteClients(db: Db, tenant: string, record: RecordChange): ClientStore {
  const s = statementsOf(db);
  const byId = (id: string) => s.byId.get({ tenant, id }) as ClientRow | undefined;
  return {
    async create(client) {
      return db.transaction(() => {
        const created = toClient(s.insert.get({ ...client, tenant }) as ClientRow);
        record({ of: 'client', kind: 'created', client: created }, new Date().toISOString());
        return created;
      }).immediate();
    },

    async list() {
      return (s.list.all(tenant) as ClientRow[]).map(toClient);
    },

    async get(id) {
      const row = byId(id);
      return row ? toClient(row) : undefined;
    },

    async remove(id) {
      return db.transaction(() => {
        const row = byId(id);
        if (!row) return false;
        s.removeTokens.run({ tenant, id });
        s.removeSecrets.run({ tenant, id });
        s.remove.run({ tenant, id });
        record({ of: 'client', kind: 'deleted', client: toClient(row) }, new Date().toISOString());
        return true;
      }).immediate();
    },

    async addSecret(secret) {
      return db.transaction(() => {
        const client = byId(secret.clientId);
        if (!client) return undefined;
        const added = toSecret(s.insertSecret.get({ ...secret, tenant }) as SecretRow);
        record({ of: 'client', kind: 'secretAdded', client: toClient(client), secret: added }, new Date().toISOString());
        return added;
      }).immediate();
    },

    async secrets(clientId) {
      return (s.secrets.all({ tenant, clientId }) as SecretRow[]).map(toSecret);
    },

    async revokeSecret(clientId, id, at) {
      return db.transaction(() => {
        const revoked = s.revokeSecret.get({ tenant, clientId, id, at }) as SecretRow | undefined;
        // Revoking a revoked secret changes nothing (its first time stays) and records nothing.
        if (!revoked) return s.secretById.get({ tenant, clientId, id }) !== undefined;
        s.revokeTokens.run({ tenant, id, at });
        record({ of: 'client', kind: 'secretRevoked', client: toClient(byId(clientId)!), secret: toSecret(revoked) }, at);
        return true;
      }).immediate();
    },

    async purgeAccessTokens(before, limit) {
      if (limit !== undefined) return s.purge.run({ tenant, before, limit }).changes;
      let erased = 0;
      for (;;) {
        const some = s.purge.run({ tenant, before, limit: PURGE_BATCH }).changes;
        erased += some;
        if (some < PURGE_BATCH) return erased;
        await new Promise(setImmediate);
      }
    },
  };
}

type SecretWithClient = SecretRow & { client_tenant_id: string; client_name: string; client_created: string };

/** The client-secret look-ups of Credentials: across tenants, since a secret's hash is unique over all of them. */
export function sqliteClientCredentials(db: Db): Pick<Credentials, 'findClientSecret' | 'touchClientSecret'> {
  const s = statementsOf(db);
  return {
    async findClientSecret(hash) {
      const row = s.secretByHash.get(hash) as SecretWithClient | undefined;
      if (!row) return undefined;
      return { client: toClient({ id: row.client_id, tenant_id: row.client_tenant_id, name: row.client_name, created: row.client_created }), secret: toSecret(row) };
    },
    async touchClientSecret(id, at) {
      s.touchSecret.run(at, id);
    },
  };
}
