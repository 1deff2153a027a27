import { createLogger } from '../../../src/logger';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { INDEXES, type IndexDeclaration } from '../../../src/store/mongo/indexes';
import { migrateDatabase } from '../../../src/store/mongo/mongo-migration';
import { DEFAULT_TENANT_ID, TenantExists, UniquenessViolation, UnknownMembers, type Store } from '../../../src/store/port';
import { FakeDatabase, inMemoryMongoStore } from '../contract/mingo-collections';
import { changeJournal } from '../../../src/domain/events/journal';
import { journal } from '../../support/journal';

const registry = loadSchemaRegistry();
const SCOPED = [COLLECTIONS.users, COLLECTIONS.groups, COLLECTIONS.memberships, COLLECTIONS.tokens] as const;
const EVENTS = [COLLECTIONS.events, COLLECTIONS.eventSequences, COLLECTIONS.webhooks, COLLECTIONS.deliveries] as const;

/** How many documents each collection holds for each tenant (operator tokens under "null"), read from the raw collections. */
function census(database: FakeDatabase): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const name of [...SCOPED, ...EVENTS]) {
    for (const document of database.collection(name).snapshot()) {
      const tenant = String(document.tenantId ?? null);
      counts[tenant] ??= {};
      counts[tenant][name] = (counts[tenant][name] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * One tenant's directory: a live user, a deleted one, a user-bound token, a service token, a
 * group of both, a webhook with one delivery queued, and the events of all that.
 */
async function seed(store: Store, tenantId: string) {
  const { users, groups, tokens, webhooks, events } = store.tenant(tenantId, journal);
  const ada = await users.create({ data: { userName: 'ada', displayName: 'Ada' } });
  const gone = await users.create({ data: { userName: 'gone' } });
  const team = await groups.create({ displayName: 'Team' }, [ada.id, gone.id]);
  await users.delete(gone.id, undefined);
  await tokens.create({ id: `${tenantId}-svc`, name: 'okta', hash: `${tenantId}-h1`, created: '2024-01-01T00:00:00.000Z' });
  await tokens.create({ id: `${tenantId}-ada`, name: 'cli', hash: `${tenantId}-h2`, created: '2024-01-01T00:00:00.000Z', userId: ada.id });
  const webhook = await webhooks.create({ id: `${tenantId}-hook`, url: 'https://example.com/hook', events: ['*'], secret: 'whsec_x' });
  await webhooks.retry(webhook.id, 1, '2024-01-01T00:00:00.000Z');
  return { ada, gone, team, events: await events.latest() };
}

describe('MongoDB adapter: two tenants side by side', () => {
  let database: FakeDatabase;
  let store: Store;
  beforeEach(async () => {
    database = new FakeDatabase();
    store = inMemoryMongoStore(database);
    await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
    await store.tenants.create({ id: 'beta', name: 'Beta', settings: {} }, journal);
  });

  it('holds the same userName and displayName in two tenants, and each stays unique within its tenant', async () => {
    const acme = await seed(store, 'acme');
    const beta = await seed(store, 'beta');
    expect(acme.ada.id).not.toBe(beta.ada.id);
    await expect(store.tenant('acme', journal).users.create({ data: { userName: 'ADA' } })).rejects.toEqual(new UniquenessViolation('userName', 'ADA'));
    await expect(store.tenant('beta', journal).groups.create({ displayName: 'team' }, [])).rejects.toBeInstanceOf(UniquenessViolation);
    // A soft-deleted holder is reported per tenant: gamma has no "gone" at all.
    await expect(store.tenant('beta', journal).users.create({ data: { userName: 'gone' } })).rejects.toMatchObject({ heldByDeleted: true });
    await expect(store.tenant('gamma', journal).users.create({ data: { userName: 'gone' } })).resolves.toMatchObject({ version: 1 });
  });

  it('finds, changes and restores nothing by an id of another tenant', async () => {
    const acme = await seed(store, 'acme');
    const beta = store.tenant('beta', journal);
    expect(await beta.users.get(acme.ada.id)).toBeUndefined();
    expect(await beta.users.update(acme.ada.id, undefined, { data: { userName: 'x' } })).toEqual({ status: 'notFound' });
    expect(await beta.users.delete(acme.ada.id, 1)).toEqual({ status: 'notFound' });
    expect(await beta.users.restore({ id: acme.gone.id })).toBeUndefined();
    expect(await beta.users.restore({ userName: 'gone' })).toBeUndefined();
    expect(await beta.groups.get(acme.team.id)).toBeUndefined();
    expect(await beta.groups.delete(acme.team.id, undefined)).toEqual({ status: 'notFound' });
    expect(await beta.groups.membersOf([acme.team.id])).toEqual(new Map([[acme.team.id, []]]));
    expect(await beta.users.groupsOf([acme.ada.id])).toEqual(new Map([[acme.ada.id, []]]));
    expect(await beta.tokens.get('acme-svc')).toBeUndefined();
    expect(await beta.tokens.revoke('acme-svc', '2024-02-01T00:00:00.000Z')).toBe(false);
    expect(await beta.tokens.remove('acme-svc')).toBe(false);
    await beta.tokens.revokeOfUser(acme.ada.id, '2024-02-01T00:00:00.000Z');
    expect(await store.tenant('acme', journal).tokens.list(acme.ada.id)).toEqual([expect.not.objectContaining({ revoked: expect.anything() })]);
    expect(await store.tenant('acme', journal).users.get(acme.ada.id)).toMatchObject({ version: 1 });
  });

  it('refuses a member id of another tenant as UnknownMembers and links nothing', async () => {
    const acme = await seed(store, 'acme');
    const beta = store.tenant('beta', journal);
    const own = await beta.users.create({ data: { userName: 'own' } });
    const group = await beta.groups.create({ displayName: 'Mixed' }, [own.id]);
    const before = census(database);

    await expect(beta.groups.create({ displayName: 'Foreign' }, [acme.ada.id])).rejects.toEqual(new UnknownMembers([acme.ada.id]));
    await expect(beta.groups.update(group.id, undefined, { memberChanges: [{ op: 'add', ids: [own.id, acme.ada.id] }] })).rejects.toEqual(new UnknownMembers([acme.ada.id]));
    expect(census(database)).toEqual(before);
    expect(await beta.groups.get(group.id)).toMatchObject({ version: 1 });
    expect((await beta.groups.list({ offset: 0, limit: 10 })).items.map((g) => g.data.displayName)).toEqual(['Mixed']);
  });

  it('matches no resource of another tenant by members.value or groups.value', async () => {
    const acme = await seed(store, 'acme');
    await seed(store, 'beta');
    const beta = store.tenant('beta', journal);
    const byMember = resolveFilter(registry.group, parseFilter(`members.value eq "${acme.ada.id}"`));
    const byGroup = resolveFilter(registry.user, parseFilter(`groups.value eq "${acme.team.id}"`));
    expect(await beta.groups.list({ filter: byMember, offset: 0, limit: 10 })).toEqual({ total: 0, items: [] });
    expect(await beta.users.list({ filter: byGroup, offset: 0, limit: 10 })).toEqual({ total: 0, items: [] });
    expect((await store.tenant('acme', journal).groups.list({ filter: byMember, offset: 0, limit: 10 })).total).toBe(1);
  });

  it('erases exactly one tenant\'s tokens, memberships, users, groups, events, webhooks and deliveries, and again without harm', async () => {
    const { events } = await seed(store, 'acme');
    await seed(store, 'beta');
    await store.operators.create({ id: 'op', name: 'ops', hash: 'op-h', created: '2024-01-01T00:00:00.000Z' });
    const full = { users: 2, groups: 1, memberships: 2, tokens: 2, events, event_sequences: 1, webhooks: 1, deliveries: 1 };
    expect(census(database)).toEqual({ acme: full, beta: full, null: { tokens: 1 } });
    expect(await store.tenants.contents('acme')).toEqual({ users: 2, groups: 1 });

    await store.tenants.eraseData('acme');
    expect(census(database)).toEqual({ beta: full, null: { tokens: 1 } });
    expect(await store.tenants.contents('acme')).toEqual({ users: 0, groups: 0 });
    await store.tenants.eraseData('acme');
    expect(census(database)).toEqual({ beta: full, null: { tokens: 1 } });
    expect(await store.credentials.findByHash('acme-h1')).toBeUndefined();
    expect(await store.credentials.findByHash('beta-h1')).toMatchObject({ tenantId: 'beta' });
  });
});

describe('MongoDB adapter: tenant stores', () => {
  it('opens a tenant\'s port with the journal of each call: two requests at once each record their own actor and request', async () => {
    const store = inMemoryMongoStore();
    const okta = changeJournal({ actor: { kind: 'service', tokenId: 'tok-okta', tokenName: 'okta' }, requestId: 'req-1' });
    const admin = changeJournal({ actor: { kind: 'operator', tokenId: 'tok-ops', tokenName: 'ops' }, requestId: 'req-2' });
    await Promise.all([
      store.tenant('acme', okta).users.create({ data: { userName: 'from.okta' } }),
      store.tenant('acme', admin).users.create({ data: { userName: 'from.admin' } }),
    ]);
    const { events } = await store.tenant('acme', journal).events.read({ after: 0, limit: 10, scan: 100 });
    const byUser = Object.fromEntries(events.map((e) => [e.resource.userName, { actor: e.actor, requestId: e.requestId }]));
    expect(byUser).toEqual({
      'from.okta': { actor: okta.origin.actor, requestId: 'req-1' },
      'from.admin': { actor: admin.origin.actor, requestId: 'req-2' },
    });
    expect(store.tenant('beta', journal).tenantId).toBe('beta');
  });
});

describe('MongoDB adapter: the tenant registry', () => {
  it('always has the default tenant, listed in id order with the others', async () => {
    const store = inMemoryMongoStore();
    expect(await store.tenants.get(DEFAULT_TENANT_ID)).toMatchObject({ id: 'default', name: 'Default', settings: {} });
    await store.tenants.create({ id: 'zeta', name: 'Zeta', settings: {} }, journal);
    await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
    expect((await store.tenants.list(0, 10)).items.map((t) => t.id)).toEqual(['acme', 'default', 'zeta']);
    expect(await store.tenants.list(1, 1)).toMatchObject({ total: 3, items: [{ id: 'default' }] });
    expect(await store.tenants.list(3, 10)).toEqual({ total: 3, items: [] });
  });

  it('refuses a taken id, also while that tenant is being deleted, until its record is removed', async () => {
    const store = inMemoryMongoStore();
    await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
    await expect(store.tenants.create({ id: 'acme', name: 'Again', settings: {} }, journal)).rejects.toEqual(new TenantExists('acme'));
    const first = await store.tenants.markDeleting('acme', '2024-01-01T00:00:00.000Z');
    expect(first?.deleting).toBe('2024-01-01T00:00:00.000Z');
    expect((await store.tenants.markDeleting('acme', '2024-06-01T00:00:00.000Z'))?.deleting).toBe('2024-01-01T00:00:00.000Z');
    await expect(store.tenants.create({ id: 'acme', name: 'Again', settings: {} }, journal)).rejects.toBeInstanceOf(TenantExists);
    expect(await store.tenants.remove('acme')).toBe(true);
    expect(await store.tenants.remove('acme')).toBe(false);
    expect(await store.tenants.markDeleting('acme', '2024-06-01T00:00:00.000Z')).toBeUndefined();
    await expect(store.tenants.create({ id: 'acme', name: 'Again', settings: {} }, journal)).resolves.toMatchObject({ name: 'Again' });
  });

  it('replaces the whole settings object, keeping no setting left undefined', async () => {
    const store = inMemoryMongoStore();
    await store.tenants.create({ id: 'acme', name: 'Acme', settings: { maxRoles: 3, retentionDeletedDays: 'off' } }, journal);
    const renamed = await store.tenants.update('acme', { name: 'Acme Corp' }, journal);
    expect(renamed).toMatchObject({ name: 'Acme Corp', settings: { maxRoles: 3, retentionDeletedDays: 'off' } });
    const changed = await store.tenants.update('acme', { settings: { usernameImmutable: true, maxRoles: undefined } }, journal);
    expect(changed?.settings).toEqual({ usernameImmutable: true });
    expect(await store.tenants.get('acme')).toMatchObject({ name: 'Acme Corp', settings: { usernameImmutable: true } });
    expect(await store.tenants.update('nobody', { name: 'x' }, journal)).toBeUndefined();
  });
});

/** The single-tenant schema's indexes, as a database written by the previous version has them. */
const LEGACY: readonly IndexDeclaration[] = [
  { collection: COLLECTIONS.users, fields: { userNameKey: 1 }, options: { name: 'userNameKey_unique', unique: true } },
  { collection: COLLECTIONS.users, fields: { created: 1, _id: 1 }, options: { name: 'created_id' } },
  { collection: COLLECTIONS.groups, fields: { displayNameKey: 1 }, options: { name: 'displayNameKey_unique', unique: true } },
  { collection: COLLECTIONS.memberships, fields: { group: 1, member: 1 }, options: { name: 'group_member_unique', unique: true } },
  { collection: COLLECTIONS.memberships, fields: { member: 1 }, options: { name: 'member' } },
  { collection: COLLECTIONS.tokens, fields: { hash: 1 }, options: { name: 'hash_unique', unique: true } },
  { collection: COLLECTIONS.tokens, fields: { userId: 1 }, options: { name: 'userId' } },
];

describe('MongoDB adapter: a database written before tenants', () => {
  const logger = createLogger('silent');
  const at = '2023-01-01T00:00:00.000Z';
  const resource = { version: 1, created: at, lastModified: at, q: {} };

  /** What the previous version stored: no tenantId anywhere, a bootstrap token with and one without the flag. */
  async function legacyDatabase(): Promise<FakeDatabase> {
    const database = new FakeDatabase(LEGACY);
    const c = database.asCollections() as unknown as Record<string, { insertOne(d: object): Promise<unknown> }>;
    await c.users.insertOne({ _id: 'u-ada', ...resource, deletedAt: null, userNameKey: 'ada', data: { userName: 'ada' } });
    await c.users.insertOne({ _id: 'u-gone', ...resource, deletedAt: at, userNameKey: 'gone', data: { userName: 'gone' } });
    await c.groups.insertOne({ _id: 'g-team', ...resource, displayNameKey: 'team', data: { displayName: 'Team' } });
    await c.memberships.insertOne({ group: 'g-team', member: 'u-ada' });
    await c.tokens.insertOne({ _id: 't-old-boot', name: 'bootstrap', hash: 'h0', created: at, userId: null });
    await c.tokens.insertOne({ _id: 't-boot', name: 'from env', hash: 'h1', created: at, userId: null, bootstrap: true });
    await c.tokens.insertOne({ _id: 't-svc', name: 'okta', hash: 'h2', created: at, userId: null, bootstrap: false });
    await c.tokens.insertOne({ _id: 't-ada', name: 'cli', hash: 'h3', created: at, userId: 'u-ada', bootstrap: false });
    return database;
  }

  const tenantsOf = (database: FakeDatabase, name: string) =>
    Object.fromEntries(database.collection(name).snapshot().map((d) => [String(d._id ?? ''), d.tenantId]));

  it('moves every user, group, membership and token into default, bootstrap tokens into no tenant', async () => {
    const database = await legacyDatabase();
    await migrateDatabase({ collections: database.asCollections(), transactions: database.transactions }, logger);

    expect(tenantsOf(database, COLLECTIONS.users)).toEqual({ 'u-ada': 'default', 'u-gone': 'default' });
    // Users of the previous version gain `live` and `groupIds`, from deletedAt and the memberships.
    const users = Object.fromEntries(database.collection(COLLECTIONS.users).snapshot().map((u) => [u._id, { live: u.live, groupIds: u.groupIds }]));
    expect(users).toEqual({ 'u-ada': { live: true, groupIds: ['g-team'] }, 'u-gone': { live: false, groupIds: [] } });
    expect(tenantsOf(database, COLLECTIONS.groups)).toEqual({ 'g-team': 'default' });
    expect(database.collection(COLLECTIONS.memberships).snapshot()).toEqual([expect.objectContaining({ tenantId: 'default', group: 'g-team', member: 'u-ada' })]);
    expect(tenantsOf(database, COLLECTIONS.tokens)).toEqual({ 't-old-boot': null, 't-boot': null, 't-svc': 'default', 't-ada': 'default' });

    const store = inMemoryMongoStore(database);
    expect(await store.tenants.get(DEFAULT_TENANT_ID)).toMatchObject({ id: 'default' });
    expect((await store.tenant('default', journal).groups.membersOf(['g-team'])).get('g-team')).toEqual([{ id: 'u-ada', display: 'ada' }]);
    expect((await store.operators.list()).map((t) => t.id)).toEqual(['t-boot', 't-old-boot']);
    expect((await store.credentials.listBootstrap()).map((t) => t.id)).toEqual(['t-boot', 't-old-boot']);
    expect(await store.credentials.findByHash('h2')).toMatchObject({ id: 't-svc', tenantId: 'default' });
    expect(await store.tenant('default', journal).tokens.list('u-ada')).toEqual([expect.objectContaining({ id: 't-ada', tenantId: 'default' })]);
  });

  it('replaces the single-tenant indexes, so another tenant may hold the same userName, displayName and membership', async () => {
    const database = await legacyDatabase();
    const store = inMemoryMongoStore(database);
    // Before: the old unique index forbids the same userName anywhere.
    await expect(store.tenant('acme', journal).users.create({ data: { userName: 'ADA' } })).rejects.toBeInstanceOf(UniquenessViolation);

    await migrateDatabase({ collections: database.asCollections(), transactions: database.transactions }, logger);
    for (const name of SCOPED) {
      const built = (await database.collection(name).indexes()).map((i) => i.name).sort();
      expect(built).toEqual(INDEXES.filter((i) => i.collection === name).map((i) => i.options.name).sort());
    }
    await expect(store.tenant('acme', journal).users.create({ data: { userName: 'ADA' } })).resolves.toMatchObject({ version: 1 });
    await expect(store.tenant('acme', journal).groups.create({ displayName: 'team' }, [])).resolves.toMatchObject({ version: 1 });
    await expect(store.tenant('default', journal).users.create({ data: { userName: 'Ada' } })).rejects.toBeInstanceOf(UniquenessViolation);
  });

  it('changes nothing when run again (`mongo migrate` is idempotent)', async () => {
    const database = await legacyDatabase();
    await migrateDatabase({ collections: database.asCollections(), transactions: database.transactions }, logger);
    const snapshot = () => [...SCOPED, COLLECTIONS.tenants].map((name) => database.collection(name).snapshot());
    const once = snapshot();
    await migrateDatabase({ collections: database.asCollections(), transactions: database.transactions }, logger);
    expect(snapshot()).toEqual(once);
  });
});
