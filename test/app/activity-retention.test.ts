import { ACTIVITY_KEPT_DAYS } from '../../src/app/activity';
import { ERASE_CHUNK, RetentionSweep } from '../../src/app/retention';
import type { PolicyDefaults } from '../../src/domain/tenancy';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, REQUEST_FAILED, type FailureDraft, type Store } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { clock } from '../support/clock';
import { journal } from '../support/journal';

const DAY = 86_400_000;
const DEFAULTS: PolicyDefaults = {
  maxRoles: 25, usernameImmutable: false, requiredUserAttributes: [], usernameFormat: 'any', retentionDeletedDays: undefined, retentionInactiveDays: undefined,
};
const registry = loadSchemaRegistry();

/**
 * The retention sweep keeps the hourly activity counts to what the chart can show: it erases the
 * hours before EVENTS_RETENTION_DAYS or ACTIVITY_KEPT_DAYS ago, whichever is later, in chunks.
 */
describe('retention of the hourly activity counts', () => {
  let store: Store;
  const time = clock(Date.parse('2030-06-01T12:30:00Z'));
  const daysAgo = (days: number) => new Date(time.now().getTime() - days * DAY).toISOString();
  const failure = (occurredAt: string): FailureDraft => ({ occurredAt, requestId: 'r', actor: { kind: 'system' }, method: 'POST', path: '/scim/v2/Users', status: 409, detail: 'taken' });
  const hoursLeft = async () => (await store.tenant(DEFAULT_TENANT_ID, journal).events.activity('2000-01-01T00', '2100-01-01T00'))
    .filter((c) => c.type === REQUEST_FAILED).map((c) => c.hour);

  beforeEach(async () => {
    store = openSqliteStore(':memory:');
    const tenant = store.tenant(DEFAULT_TENANT_ID, journal);
    for (const days of [40, ACTIVITY_KEPT_DAYS + 1, ACTIVITY_KEPT_DAYS - 1, 8, 6, 0]) await tenant.failures.record(failure(daysAgo(days)));
  });
  afterEach(() => store.close());

  const sweep = (eventsRetentionDays?: number) => new RetentionSweep(store, registry.user, DEFAULTS, time.now, eventsRetentionDays).run();
  const hourOf = (days: number) => daysAgo(days).slice(0, 13);

  it(`erases the hours older than ${ACTIVITY_KEPT_DAYS} days when events are kept for ever, or longer`, async () => {
    await sweep(undefined);
    expect(await hoursLeft()).toEqual([hourOf(ACTIVITY_KEPT_DAYS - 1), hourOf(8), hourOf(6), hourOf(0)]);
    await sweep(90);
    expect(await hoursLeft()).toEqual([hourOf(ACTIVITY_KEPT_DAYS - 1), hourOf(8), hourOf(6), hourOf(0)]);
  });

  it('erases the hours older than EVENTS_RETENTION_DAYS when that is shorter: no count outlives its events', async () => {
    await sweep(7);
    expect(await hoursLeft()).toEqual([hourOf(6), hourOf(0)]);
    // The failed requests themselves are the log's: kept by number, not by age.
    expect(await store.tenant(DEFAULT_TENANT_ID, journal).failures.read({ limit: 10 })).toHaveLength(6);
  });

  it('erases in chunks of at most ERASE_CHUNK, like the rest of the sweep', async () => {
    const limits: number[] = [];
    const open = store.tenant.bind(store);
    const spy = jest.spyOn(store, 'tenant').mockImplementation((id, j) => {
      const t = open(id, j);
      const erase = t.events.eraseActivityBefore.bind(t.events);
      return { ...t, events: { ...t.events, eraseActivityBefore: (before: string, limit: number) => { limits.push(limit); return erase(before, limit); } } };
    });
    try {
      await sweep(undefined);
      expect(limits).toEqual([ERASE_CHUNK]);
    } finally {
      spy.mockRestore();
    }
  });
});
