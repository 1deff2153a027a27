import type { Change, TokenRecord, TokenStore } from '../port';
import type { TokenDocument } from './documents';
import type { ScopedCollection } from './scoped-collection';

export const toToken = (document: TokenDocument): TokenRecord => ({
  id: document._id,
  name: document.name,
  hash: document.hash,
  created: document.created,
  ...(document.userId ? { userId: document.userId } : {}),
  ...(document.expires ? { expires: document.expires } : {}),
  ...(document.lastUsed ? { lastUsed: document.lastUsed } : {}),
  ...(document.revoked ? { revoked: document.revoked } : {}),
  ...(isBootstrap(document) ? { bootstrap: true as const } : {}),
  ...(document.tenantId ? { tenantId: document.tenantId } : {}),
  ...(document.clientId ? { clientId: document.clientId } : {}),
  ...(document.secretId ? { secretId: document.secretId } : {}),
});

/**
 * Bootstrap tokens: flagged since the flag exists. A document written before it has no
 * `bootstrap` field at all, and then the bootstrap token was the service token named
 * "bootstrap" (the SQLite store's migration makes the same translation).
 */
export const BOOTSTRAP = {
  userId: null,
  $or: [{ bootstrap: true }, { bootstrap: { $exists: false }, name: 'bootstrap' }],
};
const isBootstrap = (document: TokenDocument) =>
  document.bootstrap === true || (document.bootstrap === undefined && !document.userId && document.name === 'bootstrap');

/**
 * How a scope's token writes run: a tenant's in a transaction that ends by recording the
 * changes' events; the operators' as they are (operator tokens belong to no tenant's stream).
 */
export type TokenWrites = <T>(work: (tokens: ScopedCollection<TokenDocument>, changed: ChangedTokens) => Promise<T>) => Promise<T>;

/** Records token changes, at `at` (default: now). */
export type ChangedTokens = (changes: readonly Change[], at?: string) => Promise<void>;

/** The operators' token writes: no transaction (each is one document), no events. */
export const unrecordedWrites = (tokens: ScopedCollection<TokenDocument>): TokenWrites => (work) => work(tokens, async () => undefined);

/**
 * The bearer tokens of one scope (a tenant's, or the operators'), kept only as SHA-256 hashes of
 * the secret. A token id of another scope is not found by any method. Writes go through
 * `write`, which records their events (token.created, .revoked, .deleted) with them.
 */
export function mongoTokens(tokens: ScopedCollection<TokenDocument>, write: TokenWrites = unrecordedWrites(tokens)): TokenStore {
  return {
    async create(token) {
      const document = {
        _id: token.id,
        name: token.name,
        hash: token.hash,
        created: token.created,
        expires: token.expires ?? null,
        lastUsed: null,
        revoked: null,
        userId: token.userId ?? null,
        bootstrap: token.bootstrap === true,
        clientId: token.clientId ?? null,
        secretId: token.secretId ?? null,
      };
      return write(async (t, changed) => {
        await t.insertOne(document);
        const created = toToken({ ...document, tenantId: t.tenantId });
        await changed([{ of: 'token', kind: 'created', token: created }]);
        return created;
      });
    },

    /** OAuth access tokens (clientId set) are listed with their client, never here (`clientId: null` also matches a token written before the field). */
    async list(userId) {
      const documents = await tokens.find({ userId: userId ?? null, clientId: null }, { sort: { created: 1, _id: 1 } }).toArray();
      return documents.map(toToken);
    },

    async get(id) {
      const document = await tokens.findOne({ _id: id });
      return document ? toToken(document) : undefined;
    },

    async remove(id) {
      return write(async (t, changed) => {
        const current = await t.findOne({ _id: id });
        if (!current || (await t.deleteOne({ _id: id })).deletedCount === 0) return false;
        await changed([{ of: 'token', kind: 'removed', token: toToken(current) }]);
        return true;
      });
    },

    /** Keeps the first revocation time, recording token.revoked only then; true for any existing token, revoked before or not. */
    async revoke(id, at) {
      return write(async (t, changed) => {
        const revoked = await t.findOneAndUpdate({ _id: id, revoked: null }, { $set: { revoked: at } }, { returnDocument: 'after' });
        if (revoked) await changed([{ of: 'token', kind: 'revoked', token: toToken(revoked) }], at);
        return revoked !== null || (await t.countDocuments({ _id: id }, { limit: 1 })) > 0;
      });
    },

    /** One token.revoked per token it revokes; those revoked before keep their time and record nothing. */
    async revokeOfUser(userId, at) {
      await write(async (t, changed) => {
        const live = await t.find({ userId, revoked: null }).toArray();
        if (live.length === 0) return;
        await t.updateMany({ _id: { $in: live.map((token) => token._id) }, revoked: null }, { $set: { revoked: at } });
        await changed(live.map((token) => ({ of: 'token', kind: 'revoked', token: toToken({ ...token, revoked: at }) })), at);
      });
    },
  };
}
