import type { Credentials } from '../port';
import { mongoClientCredentials } from './mongo-clients';
import type { Collections } from './models';
import { BOOTSTRAP, toToken } from './mongo-tokens';

/**
 * The look-ups across tenants: a request's token by the hash of its secret (unique across
 * every tenant: tokens.hash_unique), whose record says which tenant it belongs to; likewise an
 * OAuth client's secret (client_secrets.hash_unique, mongo-clients.ts).
 */
export function mongoCredentials(collections: Pick<Collections, 'tokens' | 'clients' | 'clientSecrets'>): Credentials {
  const { tokens } = collections;
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

    ...mongoClientCredentials(collections),
  };
}
