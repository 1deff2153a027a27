import type { TokenRecord, TokenStore } from '../port';
import type { Db } from './open-database';

interface TokenRow {
  id: string;
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
});

/** Bearer tokens, kept only as SHA-256 hashes of the secret. */
export function sqliteTokens(db: Db): TokenStore {
  const insert = db.prepare('INSERT INTO tokens (id, name, hash, created, expires, user_id, bootstrap) VALUES (@id, @name, @hash, @created, @expires, @userId, @bootstrap)');
  const byHash = db.prepare('SELECT * FROM tokens WHERE hash = ?');
  const byId = db.prepare('SELECT * FROM tokens WHERE id = ?');
  const services = db.prepare('SELECT * FROM tokens WHERE user_id IS NULL ORDER BY created, id');
  const ofUser = db.prepare('SELECT * FROM tokens WHERE user_id = ? ORDER BY created, id');
  const bootstraps = db.prepare('SELECT * FROM tokens WHERE bootstrap = 1 ORDER BY created, id');
  const remove = db.prepare('DELETE FROM tokens WHERE id = ?');
  const revoke = db.prepare('UPDATE tokens SET revoked = COALESCE(revoked, ?) WHERE id = ?');
  const revokeOfUser = db.prepare('UPDATE tokens SET revoked = COALESCE(revoked, ?) WHERE user_id = ?');
  const touch = db.prepare('UPDATE tokens SET last_used = ? WHERE id = ?');
  return {
    async create(token) {
      insert.run({ ...token, expires: token.expires ?? null, userId: token.userId ?? null, bootstrap: token.bootstrap ? 1 : 0 });
      return toToken(byId.get(token.id) as TokenRow);
    },
    async findByHash(hash) {
      const row = byHash.get(hash) as TokenRow | undefined;
      return row ? toToken(row) : undefined;
    },
    async list(userId) {
      return ((userId === undefined ? services.all() : ofUser.all(userId)) as TokenRow[]).map(toToken);
    },
    async listBootstrap() {
      return (bootstraps.all() as TokenRow[]).map(toToken);
    },
    async get(id) {
      const row = byId.get(id) as TokenRow | undefined;
      return row ? toToken(row) : undefined;
    },
    async remove(id) {
      return remove.run(id).changes > 0;
    },
    async revoke(id, at) {
      return revoke.run(at, id).changes > 0;
    },
    async revokeOfUser(userId, at) {
      revokeOfUser.run(at, userId);
    },
    async touch(id, at) {
      touch.run(at, id);
    },
  };
}
