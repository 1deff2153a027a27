import type { TokenRecord, TokenStore } from '../port';
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
 * The bearer tokens of one scope (a tenant's, or the operators'), kept only as SHA-256 hashes of
 * the secret. A token id of another scope is not found by any method.
 */
export function mongoTokens(tokens: ScopedCollection<TokenDocument>): TokenStore {
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
      };
      await tokens.insertOne(document);
      return toToken({ ...document, tenantId: tokens.tenantId });
    },

    async list(userId) {
      const documents = await tokens.find({ userId: userId ?? null }, { sort: { created: 1, _id: 1 } }).toArray();
      return documents.map(toToken);
    },

    async get(id) {
      const document = await tokens.findOne({ _id: id });
      return document ? toToken(document) : undefined;
    },

    async remove(id) {
      return (await tokens.deleteOne({ _id: id })).deletedCount > 0;
    },

    /** Keeps the first revocation time; true for any existing token, revoked before or not. */
    async revoke(id, at) {
      if ((await tokens.updateOne({ _id: id, revoked: null }, { $set: { revoked: at } })).matchedCount > 0) return true;
      return (await tokens.countDocuments({ _id: id }, { limit: 1 })) > 0;
    },

    async revokeOfUser(userId, at) {
      await tokens.updateMany({ userId, revoked: null }, { $set: { revoked: at } });
    },
  };
}
