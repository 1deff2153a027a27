import type { mongo } from 'mongoose';
import type { Credentials } from '../port';
import type { TokenDocument } from './documents';
import { BOOTSTRAP, toToken } from './mongo-tokens';

/**
 * The one look-up across tenants: a request's token by the hash of its secret (unique across
 * every tenant: tokens.hash_unique), whose record says which tenant it belongs to.
 */
export function mongoCredentials(tokens: mongo.Collection<TokenDocument>): Credentials {
  return {
    async findByHash(hash) {
      const document = await tokens.findOne({ hash });
      return document ? toToken(document) : undefined;
    },

    async touch(id, at) {
      await tokens.updateOne({ _id: id }, { $set: { lastUsed: at } });
    },

    async listBootstrap() {
      const documents = await tokens.find(BOOTSTRAP, { sort: { created: 1, _id: 1 } }).toArray();
      return documents.map(toToken);
    },
  };
}
