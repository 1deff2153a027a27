import { changeJournal } from '../../../src/domain/events/journal';
import { activityHourOf, MAX_KEPT_FAILURES, REQUEST_FAILED, type FailureDraft, type HourCount, type RequestFailure, type Store, type TenantStore } from '../../../src/store/port';
import { iso, userData } from './contract-support';
import { journal as systemJournal } from '../../support/journal';

const okta = changeJournal({ actor: { kind: 'service', tokenId: 'tok-okta', tokenName: 'okta' }, requestId: 'req-1' });
const HOUR = 3_600_000;

/** A failed request as the application records it; `at` is its time. */
const failure = (at: string, extra: Partial<FailureDraft> = {}): FailureDraft => ({
  occurredAt: at,
  requestId: 'req-f',
  actor: { kind: 'service', tokenId: 'tok-okta', tokenName: 'okta' },
  method: 'POST',
  path: '/scim/v2/Users',
  status: 409,
  scimType: 'uniqueness',
  detail: 'userName "ada" is already taken (compared without regard to case)',
  ...extra,
});

/** The counts as one object per hour: {hour: {type: n}}. */
const byHour = (counts: readonly HourCount[]) => {
  const out: Record<string, Record<string, number>> = {};
  for (const { hour, type, n } of counts) (out[hour] ??= {})[type] = n;
  return out;
};

/**
 * The failed-request log (FailureLog) and the hourly activity counts (EventLog.activity) every
 * adapter keeps: each committed event and each recorded failure counted in its UTC hour by the
 * write itself; the newest MAX_KEPT_FAILURES failures of a tenant, newest first; each tenant its own; all
 * of it erased with the tenant.
 */
export function activityContract(getStore: () => Store): void {
  describe('failed requests and hourly activity (issue 14)', () => {
    let store: Store;
    let a: TenantStore;
    let b: TenantStore;

    beforeEach(async () => {
      store = getStore();
      for (const id of ['activity-a', 'activity-b']) await store.tenants.create({ id, name: id, settings: {} }, systemJournal);
      a = store.tenant('activity-a', okta);
      b = store.tenant('activity-b', okta);
    });

    it('counts every committed event in its hour by type, and every recorded failure as request.failed', async () => {
      const before = Date.now();
      const ada = await a.users.create({ data: userData('ada') });
      const bob = await a.users.create({ data: userData('bob') });
      await a.groups.create({ displayName: 'team' }, [ada.id, bob.id]);
      await a.failures.record(failure(iso(Date.now())), failure(iso(Date.now()), { status: 400, scimType: 'invalidValue' }));
      const after = Date.now();
      const counts = await a.events.activity(activityHourOf(iso(before)), activityHourOf(iso(after + HOUR)));
      const total: Record<string, number> = {};
      for (const { hour, type, n } of counts) {
        expect(hour >= activityHourOf(iso(before)) && hour <= activityHourOf(iso(after))).toBe(true);
        total[type] = (total[type] ?? 0) + n;
      }
      // tenant.created, the tenant's first event, was committed before `before`.
      delete total['tenant.created'];
      expect(total).toEqual({ 'user.created': 2, 'group.created': 1, 'group.member_added': 2, [REQUEST_FAILED]: 2 });
    });

    it('reads the hours from `from` up to `to` (excluded), oldest first, and only those with a count', async () => {
      await a.failures.record(failure('2020-03-01T05:00:00.000Z'), failure('2020-03-01T05:59:59.999Z'));
      await a.failures.record(failure('2020-03-01T06:30:00.000Z'));
      await a.failures.record(failure('2020-03-01T08:00:00.000Z'));
      expect(byHour(await a.events.activity('2020-03-01T05', '2020-03-01T09'))).toEqual({
        '2020-03-01T05': { [REQUEST_FAILED]: 2 }, '2020-03-01T06': { [REQUEST_FAILED]: 1 }, '2020-03-01T08': { [REQUEST_FAILED]: 1 },
      });
      expect((await a.events.activity('2020-03-01T05', '2020-03-01T09')).map((c) => c.hour)).toEqual(['2020-03-01T05', '2020-03-01T06', '2020-03-01T08']);
      expect(await a.events.activity('2020-03-01T06', '2020-03-01T08')).toEqual([{ hour: '2020-03-01T06', type: REQUEST_FAILED, n: 1 }]);
      expect(await a.events.activity('2020-03-01T09', '2020-03-02T00')).toEqual([]);
    });

    it('keeps a failure as recorded, with ids that increase, and reads them newest first, by page and by status', async () => {
      const full = failure('2020-03-01T05:00:00.000Z', {
        actor: { kind: 'user', tokenId: 'tok-ada', tokenName: 'ada laptop', userId: 'user-ada' },
        method: 'PATCH', path: '/Users/u-1', status: 400, scimType: 'invalidValue', detail: 'nope',
        resource: { type: 'User', id: 'u-1', userName: 'ada' }, bulkId: 'q1',
      });
      await a.failures.record(full);
      await a.failures.record(failure('2020-03-01T05:00:01.000Z'), failure('2020-03-01T05:00:02.000Z', { status: 404, scimType: undefined }));
      const all = await a.failures.read({ limit: 10 });
      expect(all.map((f) => [f.id, f.status])).toEqual([[3, 404], [2, 409], [1, 400]]);
      expect(all[2]).toEqual<RequestFailure>({ id: 1, ...full });
      expect(all[0]).not.toHaveProperty('scimType');
      expect(await a.failures.read({ limit: 1, before: 3 })).toEqual([all[1]]);
      expect((await a.failures.read({ limit: 10, status: 409 })).map((f) => f.id)).toEqual([2]);
      expect((await a.failures.read({ limit: 10, status: 409, before: 2 }))).toEqual([]);
      await a.failures.record();
      expect((await a.failures.read({ limit: 10 })).map((f) => f.id)).toEqual([3, 2, 1]);
    });

    it(`keeps the newest ${MAX_KEPT_FAILURES} failures of a tenant, whatever it records, and counts every one`, async () => {
      const at = '2020-03-01T05:00:00.000Z';
      await a.failures.record(...Array.from({ length: MAX_KEPT_FAILURES - 2 }, () => failure(at)));
      await a.failures.record(failure(at), failure(at), failure(at));
      for (let i = 0; i < 4; i++) await a.failures.record(failure(at, { status: 400 }));
      const total = MAX_KEPT_FAILURES + 5;
      const kept: number[] = [];
      for (let page = await a.failures.read({ limit: 200 }); page.length > 0; page = await a.failures.read({ limit: 200, before: page[page.length - 1].id })) {
        kept.push(...page.map((f) => f.id));
      }
      expect(kept).toHaveLength(MAX_KEPT_FAILURES);
      expect(kept[0]).toBe(total);
      expect(kept[kept.length - 1]).toBe(total - MAX_KEPT_FAILURES + 1);
      expect((await a.failures.read({ limit: 10, status: 400 })).map((f) => f.id)).toEqual([total, total - 1, total - 2, total - 3]);
      // The counts are of what happened: the erased failures still count in their hour.
      expect(await a.events.activity('2020-03-01T05', '2020-03-01T06')).toEqual([{ hour: '2020-03-01T05', type: REQUEST_FAILED, n: total }]);
    });

    it('keeps each tenant\'s failures and counts apart', async () => {
      await a.failures.record(failure('2020-03-01T05:00:00.000Z', { detail: 'in a' }));
      await b.failures.record(failure('2020-03-01T05:00:00.000Z', { detail: 'in b' }), failure('2020-03-01T07:00:00.000Z', { detail: 'in b' }));
      await b.users.create({ data: userData('only.in.b') });
      expect((await a.failures.read({ limit: 10 })).map((f) => [f.id, f.detail])).toEqual([[1, 'in a']]);
      expect((await b.failures.read({ limit: 10 })).map((f) => [f.id, f.detail])).toEqual([[2, 'in b'], [1, 'in b']]);
      expect(byHour(await a.events.activity('2020-03-01T00', '2020-03-02T00'))).toEqual({ '2020-03-01T05': { [REQUEST_FAILED]: 1 } });
      expect(byHour(await b.events.activity('2020-03-01T00', '2020-03-02T00'))).toEqual({ '2020-03-01T05': { [REQUEST_FAILED]: 1 }, '2020-03-01T07': { [REQUEST_FAILED]: 1 } });
      const next = activityHourOf(iso(Date.now() + HOUR));
      const userCreated = (counts: readonly HourCount[]) => counts.filter((c) => c.type === 'user.created').reduce((sum, c) => sum + c.n, 0);
      expect(userCreated(await a.events.activity('2000-01-01T00', next))).toBe(0);
      expect(userCreated(await b.events.activity('2000-01-01T00', next))).toBe(1);
    });

    it('erases the counts of the hours before a cut-off, at most `limit` a call, the oldest first', async () => {
      await a.failures.record(failure('2020-03-01T04:00:00.000Z'));
      await a.failures.record(failure('2020-03-01T05:00:00.000Z'), failure('2020-03-01T05:10:00.000Z', { status: 400 }));
      await a.failures.record(failure('2020-03-01T06:00:00.000Z'));
      await b.failures.record(failure('2020-03-01T04:00:00.000Z'));
      expect(await a.events.eraseActivityBefore('2020-03-01T06', 1)).toBe(1);
      expect(byHour(await a.events.activity('2020-03-01T00', '2020-03-02T00'))).toEqual({ '2020-03-01T05': { [REQUEST_FAILED]: 2 }, '2020-03-01T06': { [REQUEST_FAILED]: 1 } });
      expect(await a.events.eraseActivityBefore('2020-03-01T06', 10)).toBe(1);
      expect(await a.events.eraseActivityBefore('2020-03-01T06', 10)).toBe(0);
      expect(byHour(await a.events.activity('2020-03-01T00', '2020-03-02T00'))).toEqual({ '2020-03-01T06': { [REQUEST_FAILED]: 1 } });
      // The failures themselves are the log's (kept by count, not by age), and the other tenant's counts are its own.
      expect(await a.failures.read({ limit: 10 })).toHaveLength(4);
      expect(byHour(await b.events.activity('2020-03-01T00', '2020-03-02T00'))).toEqual({ '2020-03-01T04': { [REQUEST_FAILED]: 1 } });
    });

    it('erases a tenant\'s failures and counts with the tenant: created again, it starts from nothing', async () => {
      await a.failures.record(failure('2020-03-01T05:00:00.000Z'), failure('2020-03-01T05:00:00.000Z'));
      await b.failures.record(failure('2020-03-01T05:00:00.000Z'));
      await a.users.create({ data: userData('gone') });
      await store.tenants.markDeleting('activity-a', iso(Date.now()));
      await store.tenants.eraseData('activity-a');
      expect(await a.failures.read({ limit: 10 })).toEqual([]);
      expect(await a.events.activity('2000-01-01T00', '2999-01-01T00')).toEqual([]);
      expect(await store.tenants.remove('activity-a')).toBe(true);
      await store.tenants.create({ id: 'activity-a', name: 'again', settings: {} }, systemJournal);
      const again = store.tenant('activity-a', okta);
      await again.failures.record(failure('2020-03-01T05:00:00.000Z'));
      expect((await again.failures.read({ limit: 10 })).map((f) => f.id)).toEqual([1]);
      expect(byHour(await again.events.activity('2020-03-01T00', '2020-03-02T00'))).toEqual({ '2020-03-01T05': { [REQUEST_FAILED]: 1 } });
      expect(await b.failures.read({ limit: 10 })).toHaveLength(1);
    });
  });
}
