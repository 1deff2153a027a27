import type { ClientRecord, ClientSecretRecord, ClientStore, Credentials } from '../port';
import type { ClientDocument, ClientSecretDocument } from './documents';
import { eraseSome } from './erase-batches';
import type { RecordChanges } from './event-append';
import { ACCESS_TOKENS } from './indexes';
import type { Collections } from './models';
import type { ScopedCollections } from './scoped-collection';

const toClient = (document: ClientDocument): ClientRecord =>
  ({ id: document._id, tenantId: document.tenantId, name: document.name, created: document.created });

const toSecret = (document: ClientSecretDocument): ClientSecretRecord => ({
  id: document._id,
  clientId: document.clientId,
  hash: document.hash,
  created: document.created,
  expires: document.expires,
  ...(document.revoked ? { revoked: document.revoked } : {}),
  ...(document.lastUsed ? { lastUsed: document.lastUsed } : {}),
});

/** A client's access tokens, in a form the partial indexes on access tokens serve (indexes.ts). */
const tokensOfClient = (clientId: string) => ({ clientId: { ...ACCESS_TOKENS.clientId, $eq: clientId } });

/**
 * One tenant's OAuth clients in `clients`, their secrets (SHA-256 of the value) in
 * `client_secrets`. Every write is one transaction with its event, as every write of the
 * tenant; the access tokens issued to a client are token documents (written by mongo-tokens.ts),
 * revoked and erased here with their secret or client.
 */
export function mongoClients(c: ScopedCollections, record: RecordChanges): ClientStore {
  return {
    async create(client) {
      return c.transaction(async (t) => {
        const document: ClientDocument = { _id: client.id, tenantId: c.tenantId, name: client.name, created: client.created };
        await t.clients.insertOne(document);
        const created = toClient(document);
        await record(t, [{ of: 'client', kind: 'created', client: created }], c.now());
        return created;
      });
    },

    async list() {
      return (await c.clients.find({}, { sort: { created: 1, _id: 1 } }).toArray()).map(toClient);
    },

    async get(id) {
      const document = await c.clients.findOne({ _id: id });
      return document ? toClient(document) : undefined;
    },

    /** One transaction: a client has at most a few secrets, and its expired tokens are purged hourly. */
    async remove(id) {
      return c.transaction(async (t) => {
        const current = await t.clients.findOne({ _id: id });
        if (!current) return false;
        await t.tokens.deleteMany(tokensOfClient(id));
        await t.clientSecrets.deleteMany({ clientId: id });
        await t.clients.deleteOne({ _id: id });
        await record(t, [{ of: 'client', kind: 'deleted', client: toClient(current) }], c.now());
        return true;
      });
    },

    async addSecret(secret) {
      return c.transaction(async (t) => {
        const client = await t.clients.findOne({ _id: secret.clientId });
        if (!client) return undefined;
        const document: ClientSecretDocument = {
          _id: secret.id, tenantId: c.tenantId, clientId: secret.clientId, hash: secret.hash, created: secret.created, expires: secret.expires,
          revoked: null, lastUsed: null,
        };
        await t.clientSecrets.insertOne(document);
        const added = toSecret(document);
        await record(t, [{ of: 'client', kind: 'secretAdded', client: toClient(client), secret: added }], c.now());
        return added;
      });
    },

    async secrets(clientId) {
      return (await c.clientSecrets.find({ clientId }, { sort: { created: 1, _id: 1 } }).toArray()).map(toSecret);
    },

    /** Keeps the first revocation time, recording client.secret_revoked only then; true for any existing secret of the client. */
    async revokeSecret(clientId, id, at) {
      return c.transaction(async (t) => {
        const revoked = await t.clientSecrets.findOneAndUpdate({ _id: id, clientId, revoked: null }, { $set: { revoked: at } }, { returnDocument: 'after' });
        if (!revoked) return (await t.clientSecrets.countDocuments({ _id: id, clientId }, { limit: 1 })) > 0;
        await t.tokens.updateMany({ ...ACCESS_TOKENS, secretId: id, revoked: null }, { $set: { revoked: at } });
        const client = (await t.clients.findOne({ _id: clientId }))!;
        await record(t, [{ of: 'client', kind: 'secretRevoked', client: toClient(client), secret: toSecret(revoked) }], at);
        return true;
      });
    },

    /**
     * A thousand at a time (or `limit` once), outside a transaction: each token stands alone,
     * and nothing is recorded.
     */
    async purgeAccessTokens(before, limit) {
      const expired = { ...ACCESS_TOKENS, expires: { $lt: before } };
      // (MongoDB reads a limit of 0 as none.)
      if (limit === 0) return 0;
      if (limit !== undefined) {
        const ids = (await c.tokens.find(expired, { projection: { _id: 1 }, sort: { expires: 1 }, limit }).toArray()).map((d) => d._id);
        return ids.length === 0 ? 0 : (await c.tokens.deleteMany({ _id: { $in: ids } })).deletedCount;
      }
      let erased = 0;
      for (;;) {
        const batch = await eraseSome(c.tokens, expired);
        if (batch === 0) return erased;
        erased += batch;
      }
    },
  };
}

/** The client-secret look-ups of Credentials, across tenants: a secret's hash is unique over all of them (client_secrets.hash_unique). */
export function mongoClientCredentials(collections: Pick<Collections, 'clients' | 'clientSecrets'>): Pick<Credentials, 'findClientSecret' | 'touchClientSecret'> {
  return {
    async findClientSecret(hash) {
      const secret = await collections.clientSecrets.findOne({ hash });
      if (!secret) return undefined;
      // Removed between the two reads: its secrets are gone with it, so as good as never found.
      const client = await collections.clients.findOne({ _id: secret.clientId, tenantId: secret.tenantId });
      return client ? { client: toClient(client), secret: toSecret(secret) } : undefined;
    },

    async touchClientSecret(id, at) {
      await collections.clientSecrets.updateOne({ _id: id }, { $set: { lastUsed: at } });
    },
  };
}
