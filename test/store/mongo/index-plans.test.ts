import { randomBytes } from 'node:crypto';
import { mongo } from 'mongoose';
import { createLogger } from '../../../src/logger';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import type { ResourceType } from '../../../src/scim/schema/definitions';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import type { JsonObject } from '../../../src/scim/values/json';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { migrateMongoDatabase, openMongoStore, type MongoStore } from '../../../src/store/mongo/mongo-store';
import { changeJournal } from '../../../src/domain/events/journal';
import { typeMatcher } from '../../../src/domain/events/type-pattern';
import { DEFAULT_TENANT_ID, type Lease, type ListPosition, type ListQuery, type TenantStore } from '../../../src/store/port';
import { explainableCommand, isCountCommand, summarizeExplain, type PlanSummary } from '../../support/explain-plan';
import { describeMongo, MONGODB_URI } from '../../support/mongo';
import { DAY, inactiveBefore, inactiveSince, iso, tick, userData } from '../contract/contract-support';
import { journal } from '../../support/journal';

/**
 * The plans a real MongoDB server chooses for the queries the adapter sends (CI runs this on
 * 5.0, 6.0, 7.0 and 8.0: .github/workflows/mongodb.yml; skipped without MONGODB_URI). Each case
 * runs through the store port with the server's profiler on, then explains every find,
 * aggregate, count and write the profiler recorded, exactly as sent, with executionStats:
 *   - the hot pages and counts (default, deep and cursor pages, sortBy, the incremental sync,
 *     count=0) read the intended index, with no collection scan, no sort in memory, and no more
 *     index keys than the page needs;
 *   - the look-ups identity providers send (Okta, Entra) and the membership filters read the
 *     intended index, with no collection scan, and read no more documents than they match (an
 *     equality look-up may sort what it found, never anything more);
 *   - the retention sweep and the purge find their users through the partial indexes;
 *   - the change events' feed (a page, by type, by resource, by actor), the webhook outbox
 *     (claims, the due deliveries, the listings) and the retention of events read their indexes.
 * Two tenants of the same shape, 3,000 users each (and the events of all that seeding, some
 * 5,000 each), so an index without the tenant, a scan of the collection or a sort of every user
 * or event would each cost far more than the plan intended.
 */
const registry = loadSchemaRegistry();
const USERS = 3000;
const GROUPS = 200;
const GROUP_SIZE = 10;
const LIMIT = 100;
/** Writes sent at once while seeding. */
const SEED_BATCH = 50;
/** Soft-deleted users: 1, 11, …, 291 (members of groups 0–29). */
const isDeleted = (i: number) => i < 300 && i % 10 === 1;
const DELETED = 30;
/** Users whose account has been Inactive for 400 days: 99, 199, …, 2999 (the retention sweep's). */
const isInactive = (i: number) => i % 100 === 99;
/** Users changed after the rest: the incremental sync's. */
const TOUCHED = { from: 2000, to: 2050 };
/** The user and group the look-ups find: live, with no deleted or inactive fellow member. */
const U = 1234;
const G = 123;

jest.setTimeout(120_000);

const userOf = (i: number, extra: JsonObject = {}): JsonObject => userData(`user${i}`, {
  externalId: `ext-${i}`,
  displayName: `User ${i}`,
  emails: [{ value: `user${i}@example.com`, type: 'work', primary: true }, { value: `user${i}@home.example.org`, type: 'home' }],
  ...(isInactive(i) ? inactiveSince(Date.now() - 400 * DAY) : {}),
  ...extra,
});

async function inBatches<T>(count: number, write: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += SEED_BATCH) {
    const batch = Array.from({ length: Math.min(SEED_BATCH, count - start) }, (_, n) => write(start + n));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

/** USERS users and GROUPS groups of GROUP_SIZE members (group g: users 10g … 10g+9), then the deletions. */
async function seed(tenant: TenantStore): Promise<{ userIds: string[]; groupIds: string[] }> {
  const userIds = (await inBatches(USERS, (i) => tenant.users.create({ data: userOf(i) }))).map((user) => user.id);
  const groupIds = (await inBatches(GROUPS, (g) => tenant.groups.create(
    { displayName: `Group ${g}`, externalId: `gext-${g}` }, userIds.slice(g * GROUP_SIZE, (g + 1) * GROUP_SIZE),
  ))).map((group) => group.id);
  await inBatches(USERS, async (i) => (isDeleted(i) ? tenant.users.delete(userIds[i], undefined) : undefined));
  return { userIds, groupIds };
}

interface Explained {
  readonly command: Record<string, unknown>;
  readonly plan: PlanSummary;
}

interface ListShape {
  readonly filter?: string;
  readonly sortBy?: string;
  readonly sortOrder?: 'ascending' | 'descending';
  readonly offset?: number;
  readonly limit?: number;
  readonly after?: ListPosition;
}

const listQuery = (type: ResourceType, { filter, sortBy, sortOrder, offset = 0, limit = LIMIT, after }: ListShape): ListQuery => ({
  offset,
  limit,
  ...(after ? { after } : {}),
  filter: filter === undefined ? undefined : resolveFilter(type, parseFilter(filter)),
  sort: sortBy === undefined ? undefined : parseListRequest(type, { sortBy, sortOrder }, LIMIT).sort,
});

/** One command and its plan, as a failure shows it. */
const shown = ({ command, plan }: Explained) =>
  `${JSON.stringify(command)}\n    → ${plan.stages.join(' ← ')} [${plan.indexes.join(', ')}] keys ${plan.keysExamined}, docs ${plan.docsExamined}`;

/** Whether the commands read one of the indexes `anyOf`, with every index they read. */
const readsOneOf = (commands: readonly Explained[], anyOf: readonly string[]) => {
  const read = [...new Set(commands.flatMap((c) => c.plan.indexes))];
  return { read, expected: anyOf, found: read.some((index) => anyOf.includes(index)) };
};

/** The commands among `commands` that read none of the indexes `anyOf`, as a failure shows them. */
const notReading = (commands: readonly Explained[], anyOf: readonly string[]) =>
  commands.filter((c) => !c.plan.indexes.some((index) => anyOf.includes(index))).map(shown);

/** A list through the store port, and the collection it lists. */
interface Listing {
  readonly collection: string;
  readonly list: () => Promise<{ readonly total: number; readonly items: readonly unknown[] }>;
}

describeMongo('MongoDB index plans', () => {
  const dbName = `roster_plans_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const namespaces = [COLLECTIONS.users, COLLECTIONS.groups, COLLECTIONS.memberships, COLLECTIONS.tokens].map((name) => `${dbName}.${name}`);
  /** The namespaces of the change events' collections a case reads. */
  const eventsIn = (collections: readonly string[] = [COLLECTIONS.events]) => collections.map((name) => `${dbName}.${name}`);
  let store: MongoStore;
  let db: mongo.Db;
  let acme: TenantStore;
  let userIds: string[];
  let groupIds: string[];
  /** Before every touched user's change, after every other write. */
  let since: string;

  beforeAll(async () => {
    const logger = createLogger('silent');
    // The indexes exist only once `mongo migrate` has built them: start-up builds nothing.
    await migrateMongoDatabase(MONGODB_URI!, logger, { dbName, connect: { maxAttempts: 3 } });
    store = await openMongoStore(MONGODB_URI!, registry, logger, { dbName, connect: { maxAttempts: 3 } });
    db = store.database;
    await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
    acme = store.tenant('acme', journal);
    await seed(store.tenant(DEFAULT_TENANT_ID, journal));
    ({ userIds, groupIds } = await seed(acme));
    since = (await acme.users.list(listQuery(registry.user, { sortBy: 'meta.lastModified', sortOrder: 'descending', limit: 1 }))).items[0].lastModified;
    await tick();
    await inBatches(TOUCHED.to - TOUCHED.from, (n) => acme.users.update(userIds[TOUCHED.from + n], undefined, { data: userOf(TOUCHED.from + n, { nickName: 'touched' }) }));
  }, 600_000);

  // With a client of its own, so the database goes even when seeding or opening the store failed.
  afterAll(async () => {
    await store?.close();
    const client = await new mongo.MongoClient(MONGODB_URI!).connect();
    try {
      await client.db(dbName).dropDatabase();
    } finally {
      await client.close();
    }
  });

  /** Runs `work` with the profiler on, then explains every command it sent to `on` that has a plan. */
  async function explained<T>(work: () => Promise<T>, on: readonly string[] = namespaces): Promise<{ result: T; commands: Explained[] }> {
    await db.command({ profile: 0 });
    await db.collection('system.profile').drop().catch(() => undefined); // absent before the first case
    await db.command({ profile: 2 });
    let result: T;
    try {
      result = await work();
    } finally {
      await db.command({ profile: 0 });
    }
    const entries = await db.collection('system.profile').find({ ns: { $in: [...on] } }).sort({ ts: 1 }).toArray();
    const commands: Explained[] = [];
    for (const entry of entries) {
      const command = explainableCommand(entry);
      if (command === undefined) continue;
      commands.push({ command, plan: summarizeExplain(await db.command({ explain: command, verbosity: 'executionStats' })) });
    }
    expect(commands.length).toBeGreaterThan(0);
    return { result, commands };
  }

  const scans = (commands: readonly Explained[]) => commands.filter((c) => c.plan.collectionScans > 0).map(shown);
  const sorts = (commands: readonly Explained[]) => commands.filter((c) => c.plan.inMemorySorts > 0).map(shown);

  /** The commands that read the listed documents themselves: not counts, not the look-ups a membership filter needs first. */
  const pageReads = (commands: readonly Explained[], collection: string) =>
    commands.filter((c) => !isCountCommand(c.command) && (c.command.find ?? c.command.aggregate) === collection);

  // `shape` is called when the case runs, after the seeding has set the ids and times it names.
  const users = (shape: () => ListShape): Listing => ({ collection: COLLECTIONS.users, list: () => acme.users.list(listQuery(registry.user, shape())) });
  const groups = (shape: () => ListShape): Listing => ({ collection: COLLECTIONS.groups, list: () => acme.groups.list(listQuery(registry.group, shape())) });

  describe('pages and counts', () => {
    /** The first cursor page's next position, and how many users share the created time of its last user. */
    let next: ListPosition;
    let ties: number;

    beforeAll(async () => {
      const first = await acme.users.list(listQuery(registry.user, { after: [] }));
      next = first.next!;
      ties = await db.collection(COLLECTIONS.users).countDocuments({ tenantId: 'acme', created: first.items[first.items.length - 1].created });
    });

    it.each<[string, string, Listing, () => number]>([
      ['the default page', 'tenant_live_created_id', users(() => ({})), () => LIMIT + 1],
      ['the first cursor page', 'tenant_live_created_id', users(() => ({ after: [] })), () => LIMIT + 2],
      ['the next cursor page', 'tenant_live_created_id', users(() => ({ after: next })), () => ties + LIMIT + 2],
      ['sortBy=userName (deleted users are in its index)', 'tenant_userNameKey_unique', users(() => ({ sortBy: 'userName' })), () => DELETED + LIMIT + 1],
      ['meta.lastModified gt, by meta.lastModified (incremental sync)', 'tenant_live_lastModified_created_id', users(() => ({ filter: `meta.lastModified gt "${since}"`, sortBy: 'meta.lastModified' })), () => TOUCHED.to - TOUCHED.from + 1],
      ['the groups\' default page', 'tenant_created_id', groups(() => ({})), () => LIMIT + 1],
      ['groups by displayName', 'tenant_displayNameKey_unique', groups(() => ({ sortBy: 'displayName' })), () => LIMIT + 1],
    ])('%s reads %s, with no collection scan, no sort in memory, and only the keys of its page', async (_case, index, { collection, list }, maxKeys) => {
      const { result, commands } = await explained(list);
      expect(result.items.length).toBeGreaterThan(0);
      const reads = pageReads(commands, collection);
      expect(reads.length).toBeGreaterThan(0);
      expect(notReading(reads, [index])).toEqual([]);
      expect(reads.filter((c) => c.plan.keysExamined > maxKeys()).map(shown)).toEqual([]);
      // The count beside the page too.
      expect(scans(commands)).toEqual([]);
      expect(sorts(commands)).toEqual([]);
    });

    // Issue 13: a later page finds its ids over the index alone, then reads only its own documents.
    it.each<[string, string, Listing]>([
      ['a deep page of users (startIndex=2001)', 'tenant_live_created_id', users(() => ({ offset: 2000 }))],
      ['a deep page of users by meta.lastModified', 'tenant_live_lastModified_created_id', users(() => ({ offset: 2000, sortBy: 'meta.lastModified' }))],
      ['a later page of groups', 'tenant_created_id', groups(() => ({ offset: 150 }))],
    ])('%s skips over keys of %s alone (a covered scan, no document read), then reads its page by _id', async (_case, index, { collection, list }) => {
      const { result, commands } = await explained(list);
      expect(result.items.length).toBeGreaterThan(0);
      const [ids, page, ...more] = pageReads(commands, collection);
      expect(more.map(shown)).toEqual([]);
      expect(notReading([ids], [index])).toEqual([]);
      expect(ids.plan.stages).toContain('PROJECTION_COVERED');
      expect(ids.plan.docsExamined).toBe(0);
      expect(page.command.filter).toMatchObject({ _id: { $in: expect.any(Array) } });
      expect(page.plan.docsExamined).toBe(result.items.length);
      expect(scans(commands)).toEqual([]);
      expect(sorts(commands)).toEqual([]);
    });

    it('count=0 of deleted users reads the tenant\'s kept total from its event counter, no user', async () => {
      const { result, commands } = await explained(() => acme.users.listDeleted({ offset: 0, limit: 0 }), eventsIn([COLLECTIONS.users, COLLECTIONS.eventSequences]));
      expect(result.total).toBe(DELETED);
      expect(commands.map((c) => c.command.find ?? c.command.aggregate ?? c.command.count)).toEqual([COLLECTIONS.eventSequences]);
      expect(commands[0].plan.docsExamined).toBeLessThanOrEqual(1);
    });

    it('the incremental sync finds exactly the users changed since', async () => {
      expect((await users(() => ({ filter: `meta.lastModified gt "${since}"`, limit: 0 })).list()).total).toBe(TOUCHED.to - TOUCHED.from);
    });

    it.each<[string, Listing, number, readonly string[]]>([
      // Any index that holds exactly the tenant's live users in its leading keys serves: the two
      // that lead with {tenantId, live}, or tenant_inactive (partial on live users).
      ['of live users', users(() => ({ limit: 0 })), USERS - DELETED, ['tenant_live_created_id', 'tenant_live_lastModified_created_id', 'tenant_inactive']],
      ['of groups', groups(() => ({ limit: 0 })), GROUPS, ['tenant_created_id', 'tenant_displayNameKey_unique', 'tenant_externalId']],
    ])('count=0 %s reads index keys only, never a document', async (_case, { list }, total, indexes) => {
      const { result, commands } = await explained(list);
      expect(result.total).toBe(total);
      expect(commands.filter((c) => !isCountCommand(c.command)).map(shown)).toEqual([]);
      expect(notReading(commands, indexes)).toEqual([]);
      expect(scans(commands)).toEqual([]);
      expect(sorts(commands)).toEqual([]);
      expect(commands.filter((c) => c.plan.docsExamined > 0).map(shown)).toEqual([]);
    });
  });

  describe('look-ups', () => {
    it.each<[string, string, Listing, number]>([
      ['userName eq (Okta, Entra)', 'tenant_userNameKey_unique', users(() => ({ filter: `userName eq "user${U}"` })), 1],
      ['externalId eq (Okta, Entra)', 'tenant_externalId', users(() => ({ filter: `externalId eq "ext-${U}"` })), 1],
      ['emails[type eq "work"].value eq (Entra)', 'tenant_emails_value', users(() => ({ filter: `emails[type eq "work"].value eq "user${U}@example.com"` })), 1],
      ['emails.value eq', 'tenant_emails_value', users(() => ({ filter: `emails.value eq "user${U}@home.example.org"` })), 1],
      ['groups.value eq', 'tenant_groupIds', users(() => ({ filter: `groups.value eq "${groupIds[G]}"` })), GROUP_SIZE],
      ['a group\'s displayName eq (Okta, Entra)', 'tenant_displayNameKey_unique', groups(() => ({ filter: `displayName eq "Group ${G}"` })), 1],
      ['a group\'s externalId eq (Okta, Entra)', 'tenant_externalId', groups(() => ({ filter: `externalId eq "gext-${G}"` })), 1],
      ['members[value eq] (Entra)', '_id_', groups(() => ({ filter: `members[value eq "${userIds[U]}"]` })), 1],
    ])('%s reads %s, with no collection scan, and no more documents than it matches', async (_case, index, { collection, list }, total) => {
      const { result, commands } = await explained(list);
      expect(result.total).toBe(total);
      const reads = pageReads(commands, collection);
      expect(reads.length).toBeGreaterThan(0);
      expect(notReading(reads, [index])).toEqual([]);
      // Every command, the look-ups a membership filter makes first included.
      expect(scans(commands)).toEqual([]);
      // Each command read at most the matches, so a sort, if any, sorted only those.
      expect(commands.filter((c) => c.plan.docsExamined > total).map(shown)).toEqual([]);
    });
  });

  describe('the change events and the webhook outbox', () => {
    const okta = changeJournal({ actor: { kind: 'service', tokenId: 'tok-okta', tokenName: 'okta' }, requestId: 'req-plans' });
    const OKTA_WRITES = 5;
    let lease: Lease;
    let latest: number;
    const feed = (query: Partial<Parameters<TenantStore['events']['read']>[0]>) => () => acme.events.read({ after: 0, limit: LIMIT, scan: 10_000, ...query });
    const noScanNoSort = (commands: readonly Explained[]) => ({ scans: scans(commands), sorts: sorts(commands) });

    beforeAll(async () => {
      // A webhook of every event from now on, a few writes by a service token, queued for it.
      await acme.webhooks.create({ id: 'plans-hook', url: 'https://hooks.example.com/plans', events: ['*'], secret: 'whsec_plans' });
      const byOkta = store.tenant('acme', okta);
      for (let n = 0; n < OKTA_WRITES; n++) await byOkta.users.update(userIds[U + n], undefined, { data: userOf(U + n, { title: 'by okta' }) });
      const now = new Date();
      [lease] = await store.outbox.claim('plans', now.toISOString(), new Date(now.getTime() + 10 * 60_000).toISOString(), 10);
      // Queued: webhook.created and the okta writes. The newest three delivered, so the pending
      // queue (oldest first) and the pending listing (newest first) each find it faster by state.
      expect(await acme.webhooks.enqueueLeased(lease, () => true, 1000, now.toISOString())).toBe(1 + OKTA_WRITES);
      for (const { eventId } of await acme.webhooks.deliveries('plans-hook', { limit: 3 })) {
        await acme.webhooks.settleLeased(lease, { eventId, attempt: { at: now.toISOString(), statusCode: 204, durationMs: 1 }, state: 'delivered' });
      }
      latest = await acme.events.latest();
    });

    it('a page of the feed from the middle reads tenant_seq_unique, only the keys of its page', async () => {
      const { result, commands } = await explained(feed({ after: 2000 }), eventsIn());
      expect(result.events.map((e) => e.id)).toEqual(Array.from({ length: LIMIT }, (_, n) => 2001 + n));
      expect(notReading(commands, ['tenant_seq_unique'])).toEqual([]);
      expect(commands.filter((c) => c.plan.keysExamined > LIMIT + 1).map(shown)).toEqual([]);
      expect(noScanNoSort(commands)).toEqual({ scans: [], sorts: [] });
    });

    it('a page by type examines at most `scan` events in id order, then reads its page by id', async () => {
      // After the users' creation: the groups' events follow, each group's members after it.
      const { result, commands } = await explained(feed({ after: USERS, type: typeMatcher(['group.member_*']), scan: 3000 }), eventsIn());
      expect(result.events.length).toBe(LIMIT);
      expect(notReading(commands, ['tenant_seq_unique'])).toEqual([]);
      expect(commands.filter((c) => c.plan.keysExamined > 3000 + 1).map(shown)).toEqual([]);
      expect(noScanNoSort(commands)).toEqual({ scans: [], sorts: [] });
    });

    it('a resource\'s history walks tenant_resourceId_seq and tenant_memberId_seq, reading only its events', async () => {
      const { result, commands } = await explained(feed({ resourceId: userIds[U] }), eventsIn([COLLECTIONS.events, COLLECTIONS.eventSequences]));
      // user.created, group.member_added (as the member), user.updated by okta.
      expect(result.events.map((e) => e.type)).toEqual(['user.created', 'group.member_added', 'user.updated']);
      const walks = commands.filter((c) => c.command.find === COLLECTIONS.events);
      expect(readsOneOf(walks, ['tenant_resourceId_seq'])).toMatchObject({ found: true });
      expect(readsOneOf(walks, ['tenant_memberId_seq'])).toMatchObject({ found: true });
      expect(walks.filter((c) => c.plan.docsExamined > 2).map(shown)).toEqual([]);
      expect(noScanNoSort(commands)).toEqual({ scans: [], sorts: [] });
    });

    it('a token\'s changes read tenant_actorTokenId_seq, only its events', async () => {
      const { result, commands } = await explained(feed({ actorTokenId: 'tok-okta' }), eventsIn());
      expect(result.events).toHaveLength(OKTA_WRITES);
      expect(notReading(commands, ['tenant_actorTokenId_seq'])).toEqual([]);
      expect(commands.filter((c) => c.plan.docsExamined > OKTA_WRITES).map(shown)).toEqual([]);
      expect(noScanNoSort(commands)).toEqual({ scans: [], sorts: [] });
    });

    it('an event by id reads tenant_seq_unique', async () => {
      const { result, commands } = await explained(() => acme.events.get(latest), eventsIn());
      expect(result?.id).toBe(latest);
      expect(notReading(commands, ['tenant_seq_unique'])).toEqual([]);
    });

    it('claiming webhooks reads webhooks.claimable or webhooks.leaseOwner, and tenants.deleting, never a whole collection', async () => {
      const now = new Date();
      const { result, commands } = await explained(() => store.outbox.claim('plans', now.toISOString(), new Date(now.getTime() + 10 * 60_000).toISOString(), 10),
        eventsIn([COLLECTIONS.webhooks, COLLECTIONS.tenants]));
      expect(result.map((l) => l.webhook.id)).toEqual(['plans-hook']);
      expect(readsOneOf(commands.filter((c) => c.command.find === COLLECTIONS.tenants), ['deleting'])).toMatchObject({ found: true });
      expect(readsOneOf(commands.filter((c) => c.command.find === COLLECTIONS.webhooks), ['claimable', 'leaseOwner'])).toMatchObject({ found: true });
      expect(scans(commands)).toEqual([]);
    });

    it('the due deliveries read the pending queue in event order (tenant_webhookId_state_eventId), their events by id', async () => {
      const { result, commands } = await explained(() => acme.webhooks.dueLeased(lease, new Date().toISOString(), 100),
        eventsIn([COLLECTIONS.deliveries, COLLECTIONS.events]));
      expect(result.map((d) => d.delivery.state)).toEqual(['pending', 'pending', 'pending']);
      expect(notReading(commands.filter((c) => c.command.find === COLLECTIONS.deliveries), ['tenant_webhookId_state_eventId'])).toEqual([]);
      expect(notReading(commands.filter((c) => c.command.find === COLLECTIONS.events), ['tenant_seq_unique'])).toEqual([]);
      expect(noScanNoSort(commands)).toEqual({ scans: [], sorts: [] });
    });

    it.each<[string, { state?: 'pending' }, string]>([
      ['all of a webhook\'s deliveries, newest first', {}, 'tenant_webhookId_eventId_unique'],
      ['its pending deliveries, newest first', { state: 'pending' }, 'tenant_webhookId_state_eventId'],
    ])('%s read %s backwards, with no sort', async (_case, filter, index) => {
      const { result, commands } = await explained(() => acme.webhooks.deliveries('plans-hook', { limit: 3, ...filter }), eventsIn([COLLECTIONS.deliveries]));
      expect(result).toHaveLength(3);
      expect(notReading(commands, [index])).toEqual([]);
      expect(commands.filter((c) => c.plan.keysExamined > 4).map(shown)).toEqual([]);
      expect(noScanNoSort(commands)).toEqual({ scans: [], sorts: [] });
    });
  });

  // Last: these change the data the cases above read.
  describe('retention', () => {
    it('erasing old events finds the last of them through tenant_occurredAt, then erases by id, never scanning a collection', async () => {
      // Up to the 300th event: few enough that the id lists of each batch fit the profiler.
      const cutoff = (await acme.events.get(300))!.occurredAt;
      const { result, commands } = await explained(() => acme.events.eraseBefore(cutoff), eventsIn([COLLECTIONS.events, COLLECTIONS.deliveries]));
      expect(result).toBeGreaterThan(0);
      expect(result).toBeLessThan(400);
      expect(readsOneOf(commands, ['tenant_occurredAt'])).toMatchObject({ found: true });
      // The old events have no deliveries here: any index on {tenantId, …eventId} bounds that look-up alike.
      expect(scans(commands)).toEqual([]);
    });

    it('the sweep of inactive accounts finds them through the partial tenant_inactive index', async () => {
      const { result, commands } = await explained(() => acme.users.softDeleteWhere(inactiveBefore(registry, iso(Date.now() - 365 * DAY))));
      expect(result).toHaveLength(USERS / 100);
      expect(readsOneOf(commands, ['tenant_inactive'])).toMatchObject({ found: true });
      expect(scans(commands)).toEqual([]);
    });

    it('the purge of soft-deleted users finds them through the partial tenant_deleted index', async () => {
      const { result, commands } = await explained(() => acme.users.purgeDeleted(iso(Date.now() + DAY)));
      expect(result).toHaveLength(DELETED + USERS / 100);
      expect(readsOneOf(commands, ['tenant_deleted'])).toMatchObject({ found: true });
      expect(scans(commands)).toEqual([]);
    });
  });
});
