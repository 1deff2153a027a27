import type { Credentials, TokenRecord, TokenStore } from '../port';
import type { Db } from './open-database';
import { perDatabase } from './per-database';

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
});

/** `tenant_id IS @tenant`: equality for a tenant, and NULL = NULL for the operators' scope. */
const statementsOf = perDatabase((db: Db) => ({
  insert: db.prepare(`INSERT INTO tokens (id, tenant_id, name, hash, created, expires, user_id, bootstrap)
    VALUES (@id, @tenant, @name, @hash, @created, @expires, @userId, @bootstrap)`),
  byId: db.prepare('SELECT * FROM tokens WHERE tenant_id IS @tenant AND id = @id'),
  services: db.prepare('SELECT * FROM tokens WHERE tenant_id IS @tenant AND user_id IS NULL ORDER BY created, id'),
  ofUser: db.prepare('SELECT * FROM tokens WHERE tenant_id IS @tenant AND user_id = @userId ORDER BY created, id'),
  remove: db.prepare('DELETE FROM tokens WHERE tenant_id IS @tenant AND id = @id'),
  revoke: db.prepare('UPDATE tokens SET revoked = COALESCE(revoked, @at) WHERE tenant_id IS @tenant AND id = @id'),
  revokeOfUser: db.prepare('UPDATE tokens SET revoked = COALESCE(revoked, @at) WHERE tenant_id IS @tenant AND user_id = @userId'),
  byHash: db.prepare('SELECT * FROM tokens WHERE hash = ?'),
  bootstraps: db.prepare('SELECT * FROM tokens WHERE bootstrap = 1 ORDER BY created, id'),
  touch: db.prepare('UPDATE tokens SET last_used = ? WHERE id = ?'),
}));

/**
 * Bearer tokens of one scope, kept only as SHA-256 hashes of the secret: a tenant's (`tenant`
 * is its id) or the operators' (`null`: tokens of no tenant, which the schema forbids to bind
 * to a user).
 */
export function sqliteTokens(db: Db, tenant: string | null): TokenStore {
  const s = statementsOf(db);
  return {
    async create(token) {
      s.insert.run({ ...token, tenant, expires: token.expires ?? null, userId: token.userId ?? null, bootstrap: token.bootstrap ? 1 : 0 });
      return toToken(s.byId.get({ tenant, id: token.id }) as TokenRow);
    },
    async list(userId) {
      return ((userId === undefined ? s.services.all({ tenant }) : s.ofUser.all({ tenant, userId })) as TokenRow[]).map(toToken);
    },
    async get(id) {
      const row = s.byId.get({ tenant, id }) as TokenRow | undefined;
      return row ? toToken(row) : undefined;
    },
    async remove(id) {
      return s.remove.run({ tenant, id }).changes > 0;
    },
    async revoke(id, at) {
      return s.revoke.run({ tenant, id, at }).changes > 0;
    },
    async revokeOfUser(userId, at) {
      s.revokeOfUser.run({ tenant, userId, at });
    },
  };
}

/** The look-ups across every scope: a token's hash is unique over all tenants, its record says whose it is. */
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
  };
}
