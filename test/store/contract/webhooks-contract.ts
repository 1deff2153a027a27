import { typeMatcher } from '../../../src/domain/events/type-pattern';
import { DEFAULT_TENANT_ID, LeaseLost, MAX_KEPT_ATTEMPTS, type Lease, type Store, type TenantStore } from '../../../src/store/port';
import { iso, userData } from './contract-support';
import { journal } from '../../support/journal';

const MINUTE = 60_000;
const hook = (id: string, events = ['*']) => ({ id, url: `https://hooks.example.com/${id}`, events, secret: `whsec_${id}` });
const failedAttempt = (at: string) => ({ at, statusCode: 500, durationMs: 3 });

/**
 * Webhooks and their outbox (store port: WebhookStore, Outbox): created at the tenant's latest
 * event, leased to one owner at a time, deliveries queued from the events in order and handed
 * out one resource at a time.
 */
export function webhooksContract(getStore: () => Store): void {
  describe('webhooks and their deliveries', () => {
    let store: Store;
    let t: TenantStore;
    // Taken before each case, not once: leases run on the store's clock, and a slow run of the
    // whole contract (over a minute on a busy machine) would otherwise start with expired leases.
    let now = Date.now();
    const claim = (owner: string, at = now, max = 10) => store.outbox.claim(owner, iso(at), iso(at + MINUTE), max);
    const leaseOf = async (owner: string, id: string): Promise<Lease> => {
      const lease = (await claim(owner)).find((l) => l.webhook.id === id);
      if (!lease) throw new Error(`${owner} could not lease ${id}`);
      return lease;
    };

    beforeEach(() => {
      now = Date.now();
      store = getStore();
      t = store.tenant(DEFAULT_TENANT_ID, journal);
    });

    it('creates a webhook at the tenant\'s latest event, records its changes, and never records its secret', async () => {
      await t.users.create({ data: userData('before') });
      const created = await t.webhooks.create({ ...hook('w1', ['user.*']), description: 'CRM' });
      expect(created).toMatchObject({ id: 'w1', url: 'https://hooks.example.com/w1', events: ['user.*'], secret: 'whsec_w1', description: 'CRM', active: true, cursor: 1, consecutiveFailures: 0 });
      expect(await t.webhooks.get('w1')).toEqual(created);
      expect(await t.webhooks.list()).toEqual([created]);
      const disabled = await t.webhooks.update('w1', { active: false });
      expect(disabled).toMatchObject({ active: false, disabledAt: expect.any(String), disabledReason: expect.any(String) });
      const enabled = await t.webhooks.update('w1', { active: true, description: null, events: ['*'] });
      expect(enabled).toMatchObject({ active: true, events: ['*'], consecutiveFailures: 0 });
      expect(enabled!.description).toBeUndefined();
      expect(enabled!.disabledAt).toBeUndefined();
      expect(await t.webhooks.update('nope', { active: false })).toBeUndefined();
      expect(await t.webhooks.delete('w1')).toBe(true);
      expect(await t.webhooks.delete('w1')).toBe(false);
      expect(await t.webhooks.get('w1')).toBeUndefined();
      const events = (await t.events.read({ after: 1, limit: 100, scan: 1000 })).events;
      expect(events.map((e) => e.type)).toEqual(['webhook.created', 'webhook.updated', 'webhook.updated', 'webhook.deleted']);
      expect(JSON.stringify(events)).not.toContain('whsec_');
    });

    it('records webhook.disabled when the dispatcher disables one, with its reason', async () => {
      await t.webhooks.create(hook('w1'));
      await t.webhooks.update('w1', { active: false, disabledReason: '10 events in a row failed' });
      const [, disabled] = (await t.events.read({ after: 0, limit: 10, scan: 100 })).events;
      expect(disabled).toMatchObject({ type: 'webhook.disabled', resource: { type: 'Webhook', id: 'w1' } });
      expect(await t.webhooks.get('w1')).toMatchObject({ active: false, disabledReason: '10 events in a row failed' });
    });

    it('leases an active webhook to one owner until the lease expires; the old owner then gets LeaseLost', async () => {
      await t.webhooks.create(hook('w1'));
      await t.webhooks.create(hook('w2'));
      await t.webhooks.update('w2', { active: false });
      expect((await claim('a')).map((l) => [l.tenantId, l.owner, l.webhook.id])).toEqual([[DEFAULT_TENANT_ID, 'a', 'w1']]);
      expect(await claim('b')).toEqual([]);
      expect((await claim('a')).map((l) => l.webhook.id)).toEqual(['w1']); // renewed
      const stale = await leaseOf('a', 'w1');
      const taken = await claim('b', now + 2 * MINUTE);
      expect(taken.map((l) => l.webhook.id)).toEqual(['w1']);
      await expect(t.webhooks.pendingLeased(stale)).rejects.toBeInstanceOf(LeaseLost);
      await expect(t.webhooks.enqueueLeased(stale, () => true, 10, iso(now))).rejects.toBeInstanceOf(LeaseLost);
      await store.outbox.release('b', ['w1']);
      expect((await claim('c')).map((l) => l.webhook.id)).toEqual(['w1']);
    });

    it('does not lease the webhooks of a tenant being deleted', async () => {
      await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
      await store.tenant('acme', journal).webhooks.create(hook('wa'));
      await store.tenants.markDeleting('acme', iso(now));
      expect(await claim('a')).toEqual([]);
    });

    it('queues the subscribed events after its cursor, moving the cursor past every event examined', async () => {
      await t.webhooks.create(hook('w1', ['group.*']));
      const user = await t.users.create({ data: userData('u') });
      const group = await t.groups.create({ displayName: 'G' }, [user.id]);
      await t.users.update(user.id, undefined, { data: userData('u', { title: 'x' }) });
      const lease = await leaseOf('a', 'w1');
      const groups = typeMatcher(['group.*']);
      // Events: 1 webhook.created, 2 user.created, 3 group.created, 4 member_added, 5 user.updated.
      expect(await t.webhooks.enqueueLeased(lease, groups, 3, iso(now))).toBe(1);
      expect(await t.webhooks.enqueueLeased(lease, groups, 3, iso(now))).toBe(1);
      expect(await t.webhooks.enqueueLeased(lease, groups, 3, iso(now))).toBe(0);
      expect(await t.webhooks.pendingLeased(lease)).toBe(2);
      expect((await t.webhooks.get('w1'))!.cursor).toBe(5);
      const due = await t.webhooks.dueLeased(lease, iso(now), 100);
      // Both are the group's: the later waits for the earlier.
      expect(due.map((d) => [d.delivery.eventId, d.delivery.resourceId, d.event.type])).toEqual([[3, group.id, 'group.created']]);
      expect(due[0].delivery).toMatchObject({ webhookId: 'w1', eventType: 'group.created', state: 'pending', queuedAt: iso(now), attempts: [] });
    });

    it('hands out the earliest pending delivery of each resource when due, and settles attempts', async () => {
      await t.webhooks.create(hook('w1'));
      const a = await t.users.create({ data: userData('a') });
      const b = await t.users.create({ data: userData('b') });
      await t.users.update(a.id, undefined, { data: userData('a', { title: 'x' }) });
      const lease = await leaseOf('a', 'w1');
      expect(await t.webhooks.enqueueLeased(lease, () => true, 100, iso(now))).toBe(4);
      const ids = async (at = now) => (await t.webhooks.dueLeased(lease, iso(at), 100)).map((d) => d.delivery.eventId);
      expect(await ids()).toEqual([1, 2, 3]); // webhook.created, a, b; a's update waits for a's creation

      const retried = await t.webhooks.settleLeased(lease, { eventId: 2, attempt: failedAttempt(iso(now)), state: 'pending', nextAttemptAt: iso(now + MINUTE) });
      expect(retried.consecutiveFailures).toBe(0);
      expect(await ids()).toEqual([1, 3]); // a's head is not due yet, and holds back a's update
      expect(await ids(now + MINUTE)).toEqual([1, 2, 3]);

      expect((await t.webhooks.settleLeased(lease, { eventId: 2, attempt: failedAttempt(iso(now + MINUTE)), state: 'failed' })).consecutiveFailures).toBe(1);
      expect((await t.webhooks.settleLeased(lease, { eventId: 1, attempt: failedAttempt(iso(now)), state: 'failed' })).consecutiveFailures).toBe(2);
      expect(await ids(now + MINUTE)).toEqual([3, 4]); // a's update is next once its creation failed for good
      expect((await t.webhooks.settleLeased(lease, { eventId: 3, attempt: { at: iso(now), statusCode: 204, durationMs: 2 }, state: 'delivered' })).consecutiveFailures).toBe(0);
      expect(await t.webhooks.pendingLeased(lease)).toBe(1);

      const deliveries = await t.webhooks.deliveries('w1', { limit: 10 });
      expect(deliveries.map((d) => [d.eventId, d.state])).toEqual([[4, 'pending'], [3, 'delivered'], [2, 'failed'], [1, 'failed']]);
      expect(deliveries[2].attempts).toEqual([failedAttempt(iso(now)), failedAttempt(iso(now + MINUTE))]);
      expect((await t.webhooks.deliveries('w1', { limit: 10, state: 'failed' })).map((d) => d.eventId)).toEqual([2, 1]);
      expect((await t.webhooks.deliveries('w1', { limit: 1, before: 3 })).map((d) => d.eventId)).toEqual([2]);
      expect(b.id).toEqual(expect.any(String));
    });

    it(`keeps the last ${MAX_KEPT_ATTEMPTS} attempts of a delivery`, async () => {
      await t.webhooks.create(hook('w1'));
      const lease = await leaseOf('a', 'w1');
      await t.webhooks.enqueueLeased(lease, () => true, 10, iso(now));
      for (let i = 0; i < MAX_KEPT_ATTEMPTS + 3; i++) {
        await t.webhooks.settleLeased(lease, { eventId: 1, attempt: failedAttempt(iso(now + i)), state: 'pending', nextAttemptAt: iso(now) });
      }
      const [delivery] = await t.webhooks.deliveries('w1', { limit: 1 });
      expect(delivery.attempts).toHaveLength(MAX_KEPT_ATTEMPTS);
      expect(delivery.attempts[0].at).toBe(iso(now + 3));
    });

    it('queues an event again on retry (pending, due now, a new window), or for the first time; undefined for an unknown event or webhook', async () => {
      const user = await t.users.create({ data: userData('early') }); // event 1, before the webhook
      await t.webhooks.create(hook('w1'));
      const lease = await leaseOf('a', 'w1');
      await t.webhooks.enqueueLeased(lease, () => true, 10, iso(now));
      await t.webhooks.settleLeased(lease, { eventId: 2, attempt: failedAttempt(iso(now)), state: 'failed' });
      const later = iso(now + MINUTE);
      expect(await t.webhooks.retry('w1', 2, later)).toMatchObject({ eventId: 2, state: 'pending', queuedAt: later, nextAttemptAt: later, attempts: [failedAttempt(iso(now))] });
      expect(await t.webhooks.retry('w1', 1, later)).toMatchObject({ eventId: 1, eventType: 'user.created', resourceId: user.id, state: 'pending', attempts: [] });
      expect(await t.webhooks.retry('w1', 99, later)).toBeUndefined();
      expect(await t.webhooks.retry('nope', 1, later)).toBeUndefined();
    });

    it('keeps one tenant\'s webhooks from another', async () => {
      await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
      const acme = store.tenant('acme', journal);
      await t.webhooks.create(hook('w1'));
      expect(await acme.webhooks.get('w1')).toBeUndefined();
      expect(await acme.webhooks.list()).toEqual([]);
      expect(await acme.webhooks.delete('w1')).toBe(false);
      expect(await acme.webhooks.update('w1', { active: false })).toBeUndefined();
      expect(await acme.webhooks.retry('w1', 1, iso(now))).toBeUndefined();
      expect(await acme.webhooks.deliveries('w1', { limit: 10 })).toEqual([]);
    });
  });
}
