import type { Logger } from '../../../src/logger';
import { verifyDatabase } from '../../../src/store/mongo/database-check';
import { DatabaseRefused } from '../../../src/store/mongo/deployment';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { INDEXES, LEGACY_INDEXES } from '../../../src/store/mongo/indexes';
import type { Collections } from '../../../src/store/mongo/models';
import { migrateDatabase, type MigrationReport } from '../../../src/store/mongo/mongo-migration';
import { SCHEMA_VERSION } from '../../../src/store/mongo/schema-marker';
import { rulesOf } from '../../../src/store/mongo/validators';
import { FakeDatabase, inMemoryMongoStore, type JournalEntry } from '../contract/mingo-collections';
import { journal } from '../../support/journal';
import { memoryValidators, previousVersionDatabase } from './migration-support';

function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const log = (level: string) => (message: string) => void lines.push({ level, message });
  return { logger: { info: log('info'), warn: log('warn'), debug: log('debug'), error: log('error') } as unknown as Logger, lines };
}

const quiet = recordingLogger().logger;
const MIGRATED_AT = '2025-06-01T12:00:00.000Z';

async function setUp(database: FakeDatabase) {
  const collections = database.asCollections();
  const validators = memoryValidators();
  const migrate = () => migrateDatabase({ collections, transactions: database.transactions, validators }, quiet, () => MIGRATED_AT);
  return { collections, validators, migrate };
}

/** What schema 2 adds: the change events' collections, and their indexes (with the registry's one for the dispatcher). */
const EVENT_COLLECTIONS = new Set<string>([COLLECTIONS.events, COLLECTIONS.eventSequences, COLLECTIONS.webhooks, COLLECTIONS.deliveries]);
const SCHEMA_2 = INDEXES.filter((i) => EVENT_COLLECTIONS.has(i.collection) || (i.collection === COLLECTIONS.tenants && i.options.name === 'deleting'));
const SCHEMA_2_INDEXES = SCHEMA_2.map((i) => `${i.collection}.${i.options.name}`);
/**
 * What schema 3 adds: the OAuth clients' collections, their indexes, the partial indexes on access
 * tokens, and the two indexes of effectivePermissions filters.
 */
const CLIENT_COLLECTIONS = new Set<string>([COLLECTIONS.clients, COLLECTIONS.clientSecrets]);
const PERMISSION_INDEXES = new Set(['tenant_entitlements_value', 'tenant_permissions']);
const SCHEMA_3 = INDEXES.filter((i) => CLIENT_COLLECTIONS.has(i.collection) || (i.collection === COLLECTIONS.tokens && i.options.partialFilterExpression?.clientId !== undefined)
  || PERMISSION_INDEXES.has(i.options.name));
const SCHEMA_3_INDEXES = SCHEMA_3.map((i) => `${i.collection}.${i.options.name}`);
/** What schema 5 adds: the failed-request log and the hourly activity counts, their indexes (activity-migration.test.ts tests its back-fill). */
const ACTIVITY_COLLECTIONS = new Set<string>([COLLECTIONS.failures, COLLECTIONS.activityHours]);
const SCHEMA_5 = INDEXES.filter((i) => ACTIVITY_COLLECTIONS.has(i.collection));
const SCHEMA_5_INDEXES = SCHEMA_5.map((i) => `${i.collection}.${i.options.name}`);

const users = (database: FakeDatabase) => Object.fromEntries(database.collection(COLLECTIONS.users).snapshot().map((u) => [u._id as string, { live: u.live, groupIds: u.groupIds }]));
const indexNames = async (collections: Collections, name: keyof Collections) => (await collections[name].indexes()).map((i) => i.name).sort();
const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as Error);

describe('mongo migrate', () => {
  it('readies a database of the previous version: live and groupIds on every user, the declared indexes, the validators, the marker', async () => {
    const database = await previousVersionDatabase();
    const { collections, validators, migrate } = await setUp(database);
    const report = await migrate();

    expect(users(database)).toEqual({
      'u-ada': { live: true, groupIds: ['g-team', 'g-ops'] },
      'u-bob': { live: false, groupIds: ['g-team'] },
      'u-cy': { live: true, groupIds: [] },
      'u-acme': { live: true, groupIds: ['g-acme'] },
    });
    for (const name of ['users', 'groups', 'memberships', 'tokens'] as const) {
      expect(await indexNames(collections, name)).toEqual(INDEXES.filter((i) => i.collection === COLLECTIONS[name]).map((i) => i.options.name).sort());
    }
    expect(await collections.users.indexes()).toContainEqual(expect.objectContaining({ name: 'tenant_deleted', partialFilterExpression: { deletedAt: { $type: 'string' } } }));
    expect([...validators.rules.keys()].sort()).toEqual(Object.values(COLLECTIONS).sort());
    expect(validators.rules.get(COLLECTIONS.users)).toEqual(rulesOf('users'));
    expect(database.collection(COLLECTIONS.meta).snapshot()).toEqual([{ _id: 'schema', version: SCHEMA_VERSION, migrated: MIGRATED_AT }]);
    expect(report).toEqual<MigrationReport>({
      from: undefined,
      to: SCHEMA_VERSION,
      adopted: { operatorTokens: 0, tokens: 0, memberships: 0, users: 0, groups: 0 },
      backfilled: { live: 3, deleted: 1, groupIds: 4, memberships: 4, totals: 2, activity: 0 },
      indexes: {
        built: [
          'users.tenant_live_created_id', 'users.tenant_live_lastModified_created_id', 'users.tenant_groupIds', 'users.tenant_deleted', 'users.tenant_inactive',
          ...SCHEMA_2_INDEXES, ...SCHEMA_3_INDEXES, ...SCHEMA_5_INDEXES,
        ],
        present: [
          'users.tenant_userNameKey_unique', 'users.tenant_externalId', 'users.tenant_emails_value', 'users.tenant_displayName',
          'groups.tenant_displayNameKey_unique', 'groups.tenant_externalId', 'groups.tenant_created_id',
          'memberships.tenant_group_member_unique', 'memberships.tenant_member', 'tokens.hash_unique', 'tokens.tenant_userId',
        ],
        dropped: ['users.tenant_deletedAt', 'users.tenant_created_id', 'users.tenant_lastModified_created_id'],
      },
      validators: { set: Object.values(COLLECTIONS), unchanged: [] },
    });
  });

  it('passes the start-up check afterwards, without a warning', async () => {
    const database = await previousVersionDatabase();
    const { collections, validators, migrate } = await setUp(database);
    await migrate();
    const { logger, lines } = recordingLogger();
    await expect(verifyDatabase(collections, logger, { validators })).resolves.toBeUndefined();
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('changes nothing when run again: no document, index or validator, and the memberships are not copied twice', async () => {
    const database = await previousVersionDatabase();
    const { migrate } = await setUp(database);
    await migrate();
    const snapshot = () => [COLLECTIONS.users, COLLECTIONS.groups, COLLECTIONS.memberships, COLLECTIONS.tokens, COLLECTIONS.tenants].map((n) => database.collection(n).snapshot());
    const before = snapshot();
    const again = await migrate();
    expect(snapshot()).toEqual(before);
    expect(again).toMatchObject({ from: SCHEMA_VERSION, backfilled: { live: 0, deleted: 0, groupIds: 0, memberships: 'skipped', totals: 0 } });
    expect(again.indexes).toEqual({ built: [], present: INDEXES.map((i) => `${i.collection}.${i.options.name}`), dropped: [] });
    expect(again.validators.set).toEqual([]);
  });

  it('readies an empty database: the built-in tenant, every index, the marker', async () => {
    const database = new FakeDatabase([]);
    const { collections, validators, migrate } = await setUp(database);
    const report = await migrate();
    expect(report.indexes.built).toHaveLength(INDEXES.length);
    expect(database.collection(COLLECTIONS.tenants).snapshot()).toEqual([expect.objectContaining({ _id: 'default' })]);
    await expect(verifyDatabase(collections, quiet, { validators })).resolves.toBeUndefined();
  });

  it('adopts documents written before tenants', async () => {
    const database = new FakeDatabase([]);
    const c = database.asCollections() as unknown as Record<string, { insertOne(d: object): Promise<unknown> }>;
    await c.users.insertOne({ _id: 'u-old', version: 1, created: 'x', lastModified: 'x', userNameKey: 'old', deletedAt: null, data: {}, q: {} });
    await c.memberships.insertOne({ group: 'g-old', member: 'u-old' });
    const { migrate } = await setUp(database);
    const report = await migrate();
    expect(report.adopted).toMatchObject({ users: 1, memberships: 1 });
    expect(database.collection(COLLECTIONS.users).snapshot()).toEqual([expect.objectContaining({ _id: 'u-old', tenantId: 'default', live: true, groupIds: ['g-old'] })]);
  });

  it('copies memberships 1,000 per transaction, each write inside its transaction', async () => {
    const database = new FakeDatabase([]);
    const c = database.asCollections() as unknown as Record<string, { insertOne(d: object): Promise<unknown> }>;
    await c.users.insertOne({ _id: 'u-1', tenantId: 'default', version: 1, created: 'x', lastModified: 'x', userNameKey: 'one', deletedAt: null, data: {}, q: {} });
    for (let n = 0; n < 2500; n++) await c.memberships.insertOne({ tenantId: 'default', group: `g-${n}`, member: 'u-1' });
    const { migrate } = await setUp(database);
    database.journal = [];
    const commits = database.commits;
    expect((await migrate()).backfilled.memberships).toBe(2500);
    // Three for the memberships, one for the default tenant's totals (backfillTotals).
    expect(database.commits - commits).toBe(3 + 1);
    const userWrites = database.journal.filter((e: JournalEntry) => e.collection === COLLECTIONS.users && e.operation === 'bulkWrite');
    expect(userWrites).toHaveLength(3);
    expect(userWrites.every((e) => e.transaction !== undefined)).toBe(true);
    expect((database.collection(COLLECTIONS.users).snapshot()[0].groupIds as string[])).toHaveLength(2500);
  });

  it('does not copy a membership removed after it was listed (each transaction reads its memberships again)', async () => {
    const database = await previousVersionDatabase();
    const { collections, validators } = await setUp(database);
    // A running instance removes bob from team (and pulls the group from his groupIds) between the
    // migration's listing of the memberships and its transaction.
    const memberships = collections.memberships as unknown as { find: (...args: unknown[]) => unknown };
    const find = memberships.find.bind(memberships);
    let listed = false;
    memberships.find = (...args: unknown[]) => {
      const cursor = find(...args) as AsyncIterable<unknown>;
      if (listed) return cursor;
      listed = true;
      return (async function* () {
        const all: unknown[] = [];
        for await (const document of cursor) all.push(document);
        await collections.memberships.deleteOne({ tenantId: 'default', group: 'g-team', member: 'u-bob' });
        yield* all;
      })();
    };
    await migrateDatabase({ collections, transactions: database.transactions, validators }, quiet);
    expect(users(database)['u-bob']).toEqual({ live: false, groupIds: [] });
    expect(users(database)['u-ada'].groupIds).toEqual(['g-team', 'g-ops']);
  });

  it('stops at an index defined otherwise under a declared name, naming it and how to drop it; no marker', async () => {
    const database = new FakeDatabase([
      { collection: COLLECTIONS.users, fields: { tenantId: 1, 'q.externalId': -1 }, options: { name: 'tenant_externalId' } },
    ]);
    const { collections, migrate } = await setUp(database);
    const error = await refusal(migrate());
    expect(error).toBeInstanceOf(DatabaseRefused);
    expect(error?.message).toContain('users.tenant_externalId (drop it: db.users.dropIndex("tenant_externalId"))');
    expect(await indexNames(collections, 'users')).toContain('tenant_userNameKey_unique');
    expect(database.collection(COLLECTIONS.meta).snapshot()).toEqual([]);
  });

  it('refuses a database migrated by a newer Roster, and changes nothing', async () => {
    const database = await previousVersionDatabase();
    await (database.asCollections().meta as unknown as { insertOne(d: object): Promise<unknown> }).insertOne({ _id: 'schema', version: SCHEMA_VERSION + 1, migrated: MIGRATED_AT });
    const { migrate } = await setUp(database);
    const before = database.collection(COLLECTIONS.users).snapshot();
    expect(await refusal(migrate())).toBeInstanceOf(DatabaseRefused);
    expect(database.collection(COLLECTIONS.users).snapshot()).toEqual(before);
  });

  it('declares only superseded indexes as legacy: none of them is still declared', () => {
    const declared = new Set(INDEXES.map((i) => `${i.collection}.${i.options.name}`));
    expect(LEGACY_INDEXES.filter((l) => declared.has(`${l.collection}.${l.name}`))).toEqual([]);
  });
});

/**
 * A database as `mongo migrate` of an earlier schema left it: without the collections, indexes and
 * validators later schemas added (`added`), its marker at `version`.
 */
async function migratedTo(version: number, added: { readonly indexes: typeof INDEXES; readonly collections: ReadonlySet<string> }) {
  const database = await previousVersionDatabase();
  const setup = await setUp(database);
  await setup.migrate();
  for (const declaration of added.indexes) await database.collection(declaration.collection).dropIndex(declaration.options.name);
  for (const name of added.collections) setup.validators.rules.delete(name);
  await setup.collections.meta.updateOne({ _id: 'schema' }, { $set: { version } });
  return { database, ...setup };
}

describe('mongo migrate on a database of schema 1 (before change events)', () => {
  const versionOne = () => migratedTo(1, { indexes: [...SCHEMA_2, ...SCHEMA_3, ...SCHEMA_5], collections: new Set([...EVENT_COLLECTIONS, ...CLIENT_COLLECTIONS, ...ACTIVITY_COLLECTIONS]) });

  it('is refused at start-up until migrated, saying what to run', async () => {
    const { collections, validators } = await versionOne();
    expect((await refusal(verifyDatabase(collections, quiet, { validators })))?.message).toContain(`schema 1, needs ${SCHEMA_VERSION}): run \`npm run cli -- mongo migrate\``);
  });

  it('gains the event collections, their indexes and validators, and copies nothing again', async () => {
    const { database, collections, validators, migrate } = await versionOne();
    const before = database.collection(COLLECTIONS.users).snapshot();
    const report = await migrate();
    expect(report).toMatchObject({
      from: 1,
      to: SCHEMA_VERSION,
      backfilled: { live: 0, deleted: 0, groupIds: 0, memberships: 'skipped' },
      indexes: { built: [...SCHEMA_2_INDEXES, ...SCHEMA_3_INDEXES, ...SCHEMA_5_INDEXES], dropped: [] },
      validators: { set: [...EVENT_COLLECTIONS, ...CLIENT_COLLECTIONS, ...ACTIVITY_COLLECTIONS] },
    });
    expect(database.collection(COLLECTIONS.users).snapshot()).toEqual(before);
    const { logger, lines } = recordingLogger();
    await expect(verifyDatabase(collections, logger, { validators })).resolves.toBeUndefined();
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('serves its tenants\' events from id 1 on, from their first change', async () => {
    const { database, migrate } = await versionOne();
    await migrate();
    const acme = inMemoryMongoStore(database).tenant('acme', journal);
    await acme.users.create({ data: { userName: 'first.event' } });
    expect(await acme.events.latest()).toBe(1);
    expect((await acme.events.get(1))?.type).toBe('user.created');
  });
});

describe('mongo migrate on a database of schema 2 (before OAuth clients)', () => {
  const versionTwo = () => migratedTo(2, { indexes: [...SCHEMA_3, ...SCHEMA_5], collections: new Set([...CLIENT_COLLECTIONS, ...ACTIVITY_COLLECTIONS]) });

  it('is refused at start-up until migrated, saying what to run', async () => {
    const { collections, validators } = await versionTwo();
    const error = await refusal(verifyDatabase(collections, quiet, { database: 'mongodb://db1/roster', validators }));
    expect(error).toBeInstanceOf(DatabaseRefused);
    expect(error?.message).toBe(`MongoDB database mongodb://db1/roster is not migrated for this version of Roster (schema 2, needs ${SCHEMA_VERSION}): `
      + 'run `npm run cli -- mongo migrate` with the same MONGODB_URI first');
  });

  it('gains the clients\' collections, their indexes, the access-token indexes and the validators, and changes no document', async () => {
    const { database, collections, validators, migrate } = await versionTwo();
    const before = [COLLECTIONS.users, COLLECTIONS.tokens].map((name) => database.collection(name).snapshot());
    const report = await migrate();
    expect(report).toMatchObject({
      from: 2,
      to: SCHEMA_VERSION,
      backfilled: { live: 0, deleted: 0, groupIds: 0, memberships: 'skipped' },
      indexes: { built: [...SCHEMA_3_INDEXES, ...SCHEMA_5_INDEXES], dropped: [] },
      validators: { set: [COLLECTIONS.clients, COLLECTIONS.clientSecrets, ...ACTIVITY_COLLECTIONS] },
    });
    expect(SCHEMA_3_INDEXES).toEqual([
      'clients.tenant_created_id', 'client_secrets.hash_unique', 'client_secrets.tenant_clientId_created_id',
      'tokens.tenant_secretId', 'tokens.tenant_clientId', 'tokens.tenant_accessExpires',
      'users.tenant_entitlements_value', 'groups.tenant_permissions',
    ]);
    expect([COLLECTIONS.users, COLLECTIONS.tokens].map((name) => database.collection(name).snapshot())).toEqual(before);
    const { logger, lines } = recordingLogger();
    await expect(verifyDatabase(collections, logger, { validators })).resolves.toBeUndefined();
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('keeps serving the tokens written before, which are no access tokens, beside the clients it now holds', async () => {
    const { database, migrate } = await versionTwo();
    await migrate();
    const store = inMemoryMongoStore(database);
    const tenant = store.tenant('default', journal);
    expect((await tenant.tokens.list()).map((token) => token.id)).toEqual(['t-okta']);
    expect(await store.credentials.findByHash('h1')).toMatchObject({ id: 't-okta', tenantId: 'default' });
    expect((await store.credentials.findByHash('h1'))?.clientId).toBeUndefined();
    await tenant.clients.create({ id: 'c-entra', name: 'entra', created: MIGRATED_AT });
    await tenant.clients.addSecret({ id: 's-1', clientId: 'c-entra', hash: 'h-client', created: MIGRATED_AT, expires: '2026-06-01T12:00:00.000Z' });
    expect((await store.credentials.findClientSecret('h-client'))?.client.id).toBe('c-entra');
    expect(await tenant.clients.purgeAccessTokens('2100-01-01T00:00:00.000Z')).toBe(0);
    expect((await tenant.tokens.list()).map((token) => token.id)).toEqual(['t-okta']);
  });
});

describe('mongo migrate on a database of schema 3 (before kept totals)', () => {
  /** Schema 3 kept no totals on the event counters, only the ids: acme's counter at 7, none for default (no event yet). */
  const versionThree = async () => {
    const migrated = await migratedTo(3, { indexes: SCHEMA_5, collections: ACTIVITY_COLLECTIONS });
    const sequences = migrated.collections.eventSequences;
    await sequences.deleteMany({});
    await sequences.insertOne({ _id: 'acme', tenantId: 'acme', seq: 7 });
    return migrated;
  };

  it('counts every tenant\'s totals onto its event counter (keeping its seq), and then keeps them with the writes', async () => {
    const { database, migrate } = await versionThree();
    expect(await migrate()).toMatchObject({ from: 3, to: SCHEMA_VERSION, backfilled: { totals: 2 } });
    expect(database.collection(COLLECTIONS.eventSequences).snapshot().sort((a, b) => String(a._id).localeCompare(String(b._id)))).toEqual([
      { _id: 'acme', tenantId: 'acme', seq: 7, liveUsers: 1, deletedUsers: 0, groups: 1 },
      { _id: 'default', tenantId: 'default', seq: 0, liveUsers: 2, deletedUsers: 1, groups: 2 },
    ]);
    const store = inMemoryMongoStore(database);
    const tenant = store.tenant('default', journal);
    expect((await tenant.users.listDeleted({ offset: 0, limit: 0 })).total).toBe(1);
    await tenant.users.restore({ userName: 'bob' });
    expect((await tenant.users.listDeleted({ offset: 0, limit: 0 })).total).toBe(0);
    expect(database.collection(COLLECTIONS.eventSequences).snapshot().find((d) => d._id === 'default')).toMatchObject({ seq: 1, liveUsers: 3, deletedUsers: 0 });
    // The new event takes id 8 in acme: the counter's seq was kept.
    await store.tenant('acme', journal).groups.create({ displayName: 'ops' }, []);
    expect(await store.tenant('acme', journal).events.latest()).toBe(8);
    expect((await migrate()).backfilled.totals).toBe(0);
  });
});

describe('the start-up check', () => {
  async function migrated() {
    const database = await previousVersionDatabase();
    const setup = await setUp(database);
    await setup.migrate();
    const { logger, lines } = recordingLogger();
    const verify = () => verifyDatabase(setup.collections, logger, { database: 'mongodb://db1/roster', validators: setup.validators });
    return { ...setup, database, verify, warnings: () => lines.filter((l) => l.level === 'warn').map((l) => l.message) };
  }

  it('refuses a database no migration has marked, saying what to run', async () => {
    const database = await previousVersionDatabase();
    const error = await refusal(verifyDatabase(database.asCollections(), quiet, { database: 'mongodb://db1/roster' }));
    expect(error).toBeInstanceOf(DatabaseRefused);
    expect(error?.message).toBe(`MongoDB database mongodb://db1/roster is not migrated for this version of Roster (schema none, needs ${SCHEMA_VERSION}): `
      + 'run `npm run cli -- mongo migrate` with the same MONGODB_URI first');
  });

  it('refuses a database migrated by a newer Roster', async () => {
    const { collections, verify } = await migrated();
    await collections.meta.updateOne({ _id: 'schema' }, { $set: { version: SCHEMA_VERSION + 1 } });
    expect((await refusal(verify()))?.message).toContain(`was migrated by a newer Roster (schema ${SCHEMA_VERSION + 1}; this version knows ${SCHEMA_VERSION})`);
  });

  it('refuses a database whose unique index is missing, naming it', async () => {
    const { collections, verify } = await migrated();
    await collections.groups.dropIndex('tenant_displayNameKey_unique');
    const error = await refusal(verify());
    expect(error).toBeInstanceOf(DatabaseRefused);
    expect(error?.message).toMatch(/lacks unique indexes Roster relies on: groups\.tenant_displayNameKey_unique \(missing\)\. Run `npm run cli -- mongo migrate`/);
  });

  it('refuses a unique index defined otherwise', async () => {
    const { collections, verify } = await migrated();
    await collections.tokens.dropIndex('hash_unique');
    await collections.tokens.createIndexes([{ key: { hash: 1 }, name: 'hash_unique' }]);
    expect((await refusal(verify()))?.message).toMatch(/tokens\.hash_unique \(defined otherwise\)/);
  });

  it('warns, and starts, when an ordinary index is missing or defined otherwise', async () => {
    const { collections, verify, warnings } = await migrated();
    await collections.users.dropIndex('tenant_groupIds');
    await collections.users.dropIndex('tenant_deleted');
    await collections.users.createIndexes([{ key: { tenantId: 1, deletedAt: 1 }, name: 'tenant_deleted' }]);
    await expect(verify()).resolves.toBeUndefined();
    expect(warnings()).toEqual([
      'MongoDB index users.tenant_groupIds is missing: queries it serves are slower. Run `npm run cli -- mongo migrate`',
      'MongoDB index users.tenant_deleted is defined otherwise: queries it serves are slower. Run `npm run cli -- mongo migrate`',
    ]);
  });

  it('warns of an index of an earlier version still there, and of a collection without its validator', async () => {
    const { collections, validators, verify, warnings } = await migrated();
    await collections.users.createIndexes([{ key: { tenantId: 1, deletedAt: 1 }, name: 'tenant_deletedAt' }]);
    validators.rules.delete(COLLECTIONS.groups);
    await verify();
    expect(warnings()).toEqual([
      'MongoDB index users.tenant_deletedAt is no longer used and costs every write. Run `npm run cli -- mongo migrate` to drop it',
      'MongoDB collection groups does not check documents against this version\'s schema. Run `npm run cli -- mongo migrate`',
    ]);
  });

  it('builds and drops nothing', async () => {
    const { database, verify } = await migrated();
    database.journal = [];
    await verify();
    expect(database.journal.map((e) => e.operation).filter((o) => o !== 'indexes' && o !== 'findOne')).toEqual([]);
  });
});
