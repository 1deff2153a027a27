import type { mongo } from 'mongoose';
import { DEFAULT_TENANT_ID, TenantExists, type TenantRecord, type TenantRegistry, type TenantSettings } from '../port';
import type { TenantDocument } from './documents';
import { eraseActivity, eraseAll } from './erase-batches';
import { eventRecorder } from './event-append';
import type { Collections } from './models';
import { isDuplicateKey } from './mongo-errors';
import { scopeTo, type StoreRuntime } from './scoped-collection';

/** Only the settings that hold a value: the driver would store an undefined one as null. */
const definedSettings = (settings: TenantSettings): TenantSettings =>
  Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined && value !== null));

const toTenant = (document: TenantDocument): TenantRecord => ({
  id: document._id,
  name: document.name,
  created: document.created,
  lastModified: document.lastModified,
  settings: definedSettings(document.settings ?? {}),
  ...(document.deleting ? { deleting: document.deleting } : {}),
});

/**
 * Makes sure the built-in tenant exists: an upsert that inserts it once and changes nothing
 * after, so any number of instances may run it at once.
 */
export async function ensureDefaultTenant(tenants: mongo.Collection<TenantDocument>, at = new Date().toISOString()): Promise<void> {
  try {
    await tenants.updateOne({ _id: DEFAULT_TENANT_ID },
      { $setOnInsert: { name: 'Default', created: at, lastModified: at, settings: {}, deleting: null } }, { upsert: true });
  } catch (error) {
    // Two upserts racing to insert: the loser's insert meets the winner's document, which is all it wanted.
    if (!isDuplicateKey(error, '_id')) throw error;
  }
}

/**
 * The tenant registry in `tenants` (`_id` is the tenant id, so the id is unique by the `_id`
 * index). `default` is created by the first call that needs it, in every store (mongoStoreOn
 * does not run the start-up migration). Creating and changing a tenant record its event in the
 * tenant's own stream, in one transaction with the write (its session passed to the raw
 * collection); the built-in tenant is created without one.
 */
export function mongoTenants(c: Collections, runtime: StoreRuntime): TenantRegistry {
  let defaultReady: Promise<void> | undefined;
  const ready = () => {
    defaultReady ??= ensureDefaultTenant(c.tenants, runtime.now()).catch((error: unknown) => {
      defaultReady = undefined;
      throw error;
    });
    return defaultReady;
  };

  return {
    async create({ id, name, settings }, journal) {
      await ready();
      try {
        return await scopeTo(c, id, runtime).transaction(async (t) => {
          const at = runtime.now();
          const document: TenantDocument = { _id: id, name, created: at, lastModified: at, settings: definedSettings(settings), deleting: null };
          await c.tenants.insertOne(document, { session: t.session });
          const created = toTenant(document);
          await eventRecorder(journal)(t, [{ of: 'tenant', kind: 'created', after: created }], at);
          return created;
        });
      } catch (error) {
        throw isDuplicateKey(error, '_id') ? new TenantExists(id) : error;
      }
    },

    async get(id) {
      await ready();
      const document = await c.tenants.findOne({ _id: id });
      return document ? toTenant(document) : undefined;
    },

    async list(offset, limit) {
      await ready();
      const total = await c.tenants.countDocuments({});
      if (limit <= 0 || offset >= total) return { total, items: [] };
      const documents = await c.tenants.find({}, { sort: { _id: 1 }, skip: offset, limit }).toArray();
      return { total, items: documents.map(toTenant) };
    },

    async update(id, change, journal) {
      await ready();
      return scopeTo(c, id, runtime).transaction(async (t) => {
        const before = await c.tenants.findOne({ _id: id }, { session: t.session });
        if (!before) return undefined;
        const at = runtime.now();
        const set = {
          lastModified: at,
          ...(change.name === undefined ? {} : { name: change.name }),
          ...(change.settings === undefined ? {} : { settings: definedSettings(change.settings) }),
        };
        const after = toTenant((await c.tenants.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after', session: t.session }))!);
        await eventRecorder(journal)(t, [{ of: 'tenant', kind: 'updated', before: toTenant(before), after }], at);
        return after;
      });
    },

    async contents(id) {
      const tenant = scopeTo(c, id, runtime);
      return { users: await tenant.users.countDocuments({}), groups: await tenant.groups.countDocuments({}) };
    },

    async markDeleting(id, at) {
      // Conditional on not deleting yet, so the first time is kept.
      const marked = await c.tenants.findOneAndUpdate({ _id: id, deleting: null }, { $set: { deleting: at } }, { returnDocument: 'after' });
      if (marked) return toTenant(marked);
      const current = await c.tenants.findOne({ _id: id });
      return current ? toTenant(current) : undefined;
    },

    /**
     * Tokens first (the tenant's credentials die at once, OAuth access tokens among them), then
     * its OAuth clients' secrets and the clients, webhooks (nothing more is delivered) and their
     * deliveries, memberships, users, groups, the events with their counter, and last the failed
 * requests and hourly activity counts.
     */
    async eraseData(id) {
      const tenant = scopeTo(c, id, runtime);
      await eraseAll(tenant.tokens);
      await eraseAll(tenant.clientSecrets);
      await eraseAll(tenant.clients);
      await eraseAll(tenant.webhooks);
      await eraseAll(tenant.deliveries);
      await eraseAll(tenant.memberships);
      await eraseAll(tenant.users);
      await eraseAll(tenant.groups);
      await eraseAll(tenant.events);
      await tenant.eventSequences.deleteMany({});
      await eraseActivity(tenant);
    },

    async remove(id) {
      return (await c.tenants.deleteOne({ _id: id })).deletedCount > 0;
    },
  };
}
