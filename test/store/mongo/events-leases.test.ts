import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { mongoStoreOn } from '../../../src/store/mongo/mongo-store';
import { LeaseLost, type Lease, type Store } from '../../../src/store/port';
import { FakeDatabase } from '../contract/mingo-collections';
import { journal } from '../../support/journal';

/**
 * The dispatcher's leases on the MongoDB adapter: a webhook is leased to one instance at a
 * time, and every leased method is conditional on the lease by the store's clock (the
 * primary's, here set by the test), so an instance that lost its lease writes nothing more.
 */
const MINUTE = 60_000;
const T0 = Date.UTC(2030, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();
const hook = { id: 'w1', url: 'https://hooks.example.com/w1', events: ['*'], secret: 'whsec_w1' };

async function setUp() {
  const database = new FakeDatabase();
  const clock = { now: T0 };
  const store: Store = mongoStoreOn(database.asCollections(), loadSchemaRegistry(), { description: 'in-memory', ready: () => true, close: async () => undefined },
    { transactions: database.transactions, now: () => iso(clock.now) });
  const t = store.tenant('acme', journal);
  await t.webhooks.create(hook);
  await t.users.create({ data: { userName: 'ada' } });
  const claim = (owner: string, at = clock.now) => store.outbox.claim(owner, iso(at), iso(at + MINUTE), 10);
  const raw = () => database.collection(COLLECTIONS.webhooks).snapshot()[0];
  const deliveries = () => database.collection(COLLECTIONS.deliveries).snapshot();
  return { database, clock, store, t, claim, raw, deliveries };
}

describe('MongoDB adapter: webhook leases', () => {
  it('two instances claiming at once: exactly one holds the webhook', async () => {
    const { claim, raw } = await setUp();
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => claim(owner)));
    const holders = results.flat().map((lease) => lease.owner);
    expect(holders).toHaveLength(1);
    expect(raw()).toMatchObject({ leaseOwner: holders[0], leaseUntil: iso(T0 + MINUTE) });
  });

  it('only the holder works: the other instance\'s leased calls fail with LeaseLost and write nothing', async () => {
    const { t, claim, deliveries } = await setUp();
    const [lease] = await claim('a');
    const forged: Lease = { ...lease, owner: 'b' };
    await expect(t.webhooks.enqueueLeased(forged, () => true, 10, iso(T0))).rejects.toBeInstanceOf(LeaseLost);
    expect(deliveries()).toEqual([]);
    expect(await t.webhooks.enqueueLeased(lease, () => true, 10, iso(T0))).toBe(2);
    const before = deliveries();
    await expect(t.webhooks.settleLeased(forged, { eventId: 1, attempt: { at: iso(T0), statusCode: 204, durationMs: 1 }, state: 'delivered' })).rejects.toBeInstanceOf(LeaseLost);
    await expect(t.webhooks.dueLeased(forged, iso(T0), 10)).rejects.toBeInstanceOf(LeaseLost);
    await expect(t.webhooks.pendingLeased(forged)).rejects.toBeInstanceOf(LeaseLost);
    expect(deliveries()).toEqual(before);
  });

  it('a lease taken over after it expired: the old holder\'s settle is refused and its attempt not recorded', async () => {
    const { clock, t, claim, deliveries } = await setUp();
    const [stale] = await claim('a');
    await t.webhooks.enqueueLeased(stale, () => true, 10, iso(T0));
    const [due] = await t.webhooks.dueLeased(stale, iso(T0), 10);
    // a pauses past its lease while posting; b takes the webhook over.
    clock.now = T0 + 2 * MINUTE;
    expect((await claim('b')).map((lease) => lease.owner)).toEqual(['b']);
    const settle = t.webhooks.settleLeased(stale, { eventId: due.delivery.eventId, attempt: { at: iso(clock.now), statusCode: 204, durationMs: 1 }, state: 'delivered' });
    await expect(settle).rejects.toBeInstanceOf(LeaseLost);
    expect(deliveries().map((d) => [d.eventId, d.state, d.attempts])).toEqual([[1, 'pending', []], [2, 'pending', []]]);
  });

  it('a lease expired by the store\'s clock is lost even before another instance takes it', async () => {
    const { clock, t, claim } = await setUp();
    const [lease] = await claim('a');
    expect(await t.webhooks.pendingLeased(lease)).toBe(0);
    clock.now = T0 + MINUTE;
    await expect(t.webhooks.pendingLeased(lease)).rejects.toBeInstanceOf(LeaseLost);
    await expect(t.webhooks.enqueueLeased(lease, () => true, 10, iso(clock.now))).rejects.toBeInstanceOf(LeaseLost);
  });

  it('every leased write changes the webhook\'s document, even one that queues nothing: a claim meanwhile conflicts with it', async () => {
    const { t, claim, raw } = await setUp();
    const [lease] = await claim('a');
    await t.webhooks.enqueueLeased(lease, () => true, 10, iso(T0));
    const { fence, cursor } = raw();
    expect(await t.webhooks.enqueueLeased(lease, () => true, 10, iso(T0))).toBe(0);
    expect(raw()).toMatchObject({ cursor, fence: (fence as number) + 1 });
  });

  it('releases only the leases the instance holds', async () => {
    const { store, claim, raw } = await setUp();
    await claim('a');
    await store.outbox.release('b', ['w1']);
    expect(raw()).toMatchObject({ leaseOwner: 'a' });
    await store.outbox.release('a', ['w1']);
    expect(raw()).toMatchObject({ leaseOwner: null, leaseUntil: null });
    expect((await claim('b')).map((lease) => lease.owner)).toEqual(['b']);
  });
});
