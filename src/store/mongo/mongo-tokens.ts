import type { mongo } from 'mongoose';
import type { TokenRecord, TokenStore } from '../port';
import type { TokenDocument } from './documents';
import type { Collections } from './models';

const toToken = (document: TokenDocument): TokenRecord => ({
  id: document._id,
  name: document.name,
  hash: document.hash,
  created: document.created,
  ...(document.userId ? { userId: document.userId } : {}),
  ...(document.expires ? { expires: document.expires } : {}),
  ...(document.lastUsed ? { lastUsed: document.lastUsed } : {}),
  ...(document.revoked ? { revoked: document.revoked } : {}),
  ...(isBootstrap(document) ? { bootstrap: true as const } : {}),
});

/**
 * Bootstrap tokens: flagged since the flag exists. A document written before it has no
 * `bootstrap` field at all, and then the bootstrap token was the service token named
 * "bootstrap" (the SQLite store's migration makes the same translation).
 */
const BOOTSTRAP: mongo.Filter<TokenDocument> = {
  userId: null,
  $or: [{ bootstrap: true }, { bootstrap: { $exists: false }, name: 'bootstrap' }],
};
const isBootstrap = (document: TokenDocument) =>
  document.bootstrap === true || (document.bootstrap === undefined && !document.userId && document.name === 'bootstrap');

/** Bearer tokens in `tokens`, kept only as SHA-256 hashes of the secret (unique index on hash). */
export function mongoTokens(c: Collections): TokenStore {
  return {
    async create(token) {
      const document: TokenDocument = {
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
      await c.tokens.insertOne(document);
      return toToken(document);
    },

    async findByHash(hash) {
      const document = await c.tokens.findOne({ hash });
      return document ? toToken(document) : undefined;
    },

    async list(userId) {
      const documents = await c.tokens.find({ userId: userId ?? null }, { sort: { created: 1, _id: 1 } }).toArray();
      return documents.map(toToken);
    },

    async listBootstrap() {
      const documents = await c.tokens.find(BOOTSTRAP, { sort: { created: 1, _id: 1 } }).toArray();
      return documents.map(toToken);
    },

    async get(id) {
      const document = await c.tokens.findOne({ _id: id });
      return document ? toToken(document) : undefined;
    },

    async remove(id) {
      return (await c.tokens.deleteOne({ _id: id })).deletedCount > 0;
    },

    /** Keeps the first revocation time; true for any existing token, revoked before or not. */
    async revoke(id, at) {
      if ((await c.tokens.updateOne({ _id: id, revoked: null }, { $set: { revoked: at } })).matchedCount > 0) return true;
      return (await c.tokens.countDocuments({ _id: id }, { limit: 1 })) > 0;
    },

    async revokeOfUser(userId, at) {
      await c.tokens.updateMany({ userId, revoked: null }, { $set: { revoked: at } });
    },

    async touch(id, at) {
      await c.tokens.updateOne({ _id: id }, { $set: { lastUsed: at } });
    },
  };
}
