import type { Credentials, TokenRecord, TokenStore } from '../port';
import type { Db } from './open-database';
import { perDatabase } from './per-database';
import type { RecordChange } from './event-append';
import { sqliteClientCredentials } from './sqlite-clients';

interface TokenRow {
  id: string;
  tenant_id: string | null;
  name: string;
  hash: string;
  created: string;
  expires: string | null;
  last_used: string | null;
  revoked: string | null;
  user_id: string | null;
  bootstrap: number;
  client_id: string | null;
  secret_id: string | null;
}

const toToken = (row: TokenRow): TokenRecord => ({
  id: row.id,
  name: row.name,
  hash: row.hash,
  created: row.created,
  ...(row.user_id ? { userId: row.user_id } : {}),
  ...(row.expires ? { expires: row.expires } : {}),
  ...(row.last_used ? { lastUsed: row.last_used } : {}),
  ...(row.revoked ? { revoked: row.revoked } : {}),
  ...(row.bootstrap ? { bootstrap: true as const } : {}),
  ...(row.tenant_id ? { tenantId: row.tenant_id } : {}),
  ...(row.client_id ? { clientId: row.client_id } : {}),
  ...(row.secret_id ? { secretId: row.secret_id } : {}),
});

/** `tenant_id IS @tenant`: equality for a tenant, and NULL = NULL for the operators' scope. */
const statementsOf = perDatabase((db: Db) => ({
  insert: db.prepare(`INSERT INTO tokens (id, tenant_id, name, hash, created, expires, user_id, bootstrap, client_id, secret_id)
    VALUES (@id, @tenant, @name, @hash, @created, @expires, @userId, @bootstrap, @clientId, @secretId)`),
  byId: db.prepare('SELECT * FROM tokens WHERE tenant_id IS @tenant AND id = @id'),
  // OAuth access tokens (client_id set) are listed with their client, never here.
  services: db.prepare('SELECT * FROM tokens WHERE tenant_id IS @tenant AND user_id IS NULL AND client_id IS NULL ORDER BY created, id'),
  ofUser: db.prepare('SELECT * FROM tokens WHERE tenant_id IS @tenant AND user_id = @userId ORDER BY created, id'),
  remove: db.prepare('DELETE FROM tokens WHERE tenant_id IS @tenant AND id = @id'),
  revoke: db.prepare('UPDATE tokens SET revoked = @at WHERE tenant_id IS @tenant AND id = @id AND revoked IS NULL RETURNING *'),
  revokeOfUser: db.prepare('UPDATE tokens SET revoked = @at WHERE tenant_id IS @tenant AND user_id = @userId AND revoked IS NULL RETURNING *'),
  byHash: db.prepare('SELECT * FROM tokens WHERE hash = ?'),
  bootstraps: db.prepare('SELECT * FROM tokens WHERE bootstrap = 1 ORDER BY created, id'),
  touch: db.prepare('UPDATE tokens SET last_used = ? WHERE id = ?'),
}));

/** Operator tokens belong to no tenant: their changes are no tenant's events (the request log names them). */
const unrecorded: RecordChange = () => undefined;

/**
 * Bearer tokens of one scope, kept only as SHA-256 hashes of the secret: a tenant's (`tenant`
 * is its id, `record` its event recorder) or the operators' (`null`: tokens of no tenant, which
 * the schema forbids to bind to a user).
 */
export function sqliteTokens(db: Db, tenant: string | null, record: RecordChange = unrecorded): TokenStore {
  const s = statementsOf(db);
  const byId = (id: string) => s.byId.get({ tenant, id }) as TokenRow | undefined;
  return {
    async create(token) {
      return db.transaction(() => {
        s.insert.run({
          ...token, tenant, expires: token.expires ?? null, userId: token.userId ?? null, bootstrap: token.bootstrap ? 1 : 0,
          clientId: token.clientId ?? null, secretId: token.secretId ?? null,
        });
        const created = toToken(byId(token.id)!);
        record({ of: 'token', kind: 'created', token: created }, new Date().toISOString());
        return created;
      }).immediate();
    },
    async list(userId) {
      return ((userId === undefined ? s.services.all({ tenant }) : s.ofUser.all({ tenant, userId })) as TokenRow[]).map(toToken);
    },
    async get(id) {
      const row = byId(id);
      return row ? toToken(row) : undefined;
    },
    async remove(id) {
      return db.transaction(() => {
        const row = byId(id);
        if (!row) return false;
        s.remove.run({ tenant, id });
        record({ of: 'token', kind: 'removed', token: toToken(row) }, new Date().toISOString());
        return true;
      }).immediate();
    },
    async revoke(id, at) {
      return db.transaction(() => {
        const revoked = s.revoke.get({ tenant, id, at }) as TokenRow | undefined;
        if (revoked) record({ of: 'token', kind: 'revoked', token: toToken(revoked) }, at);
        // Revoking a revoked token changes nothing (its first time stays) and records nothing.
        return revoked !== undefined || byId(id) !== undefined;
      }).immediate();
    },
    async revokeOfUser(userId, at) {
      db.transaction(() => {
        for (const row of s.revokeOfUser.all({ tenant, userId, at }) as TokenRow[]) record({ of: 'token', kind: 'revoked', token: toToken(row) }, at);
      }).immediate();
    },
  };
}

/**
 * The look-ups across every scope: a token's hash is unique over all tenants, its record says
 * whose it is; likewise a client secret's (sqlite-clients.ts).
 */
export function sqliteCredentials(db: Db): Credentials {
  const s = statementsOf(db);
  return {
    async findByHash(hash) {
      const row = s.byHash.get(hash) as TokenRow | undefined;
      return row ? toToken(row) : undefined;
    },
    async touch(id, at) {
      s.touch.run(at, id);
    },
    async listBootstrap() {
      return (s.bootstraps.all() as TokenRow[]).map(toToken);
    },
    ...sqliteClientCredentials(db),
  };
}
