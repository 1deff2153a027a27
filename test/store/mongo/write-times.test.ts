import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { mongoStoreOn } from '../../../src/store/mongo/mongo-store';
import { FakeDatabase } from '../contract/mingo-collections';
import { journal } from '../../support/journal';

/**
 * `meta.created` and `meta.lastModified` come from the store's clock (on a server, the primary's:
 * server-clock.ts), never from the instance's own: two instances with skewed clocks would stamp
 * writes out of order and a `meta.lastModified gt` sync would miss some. Here the store's clock
 * is set far from this machine's, so any write stamped with Date would show.
 */
describe('MongoDB adapter: every write is stamped with the store\'s clock', () => {
  const database = new FakeDatabase();
  let tick = 0;
  const stamp = () => new Date(Date.UTC(2001, 0, 1, 0, 0, 0, ++tick)).toISOString();
  const store = mongoStoreOn(database.asCollections(), loadSchemaRegistry(), { description: 'in-memory', ready: () => true, close: async () => undefined },
    { transactions: database.transactions, now: stamp });
  const t = store.tenant('acme', journal);
  const fromStoreClock = expect.stringMatching(/^2001-01-01T00:00:00\.\d{3}Z$/);

  it('on user create, update, delete and restore, and on the versions of the user\'s groups', async () => {
    const user = await t.users.create({ data: { userName: 'ada' } });
    expect(user).toMatchObject({ created: fromStoreClock, lastModified: fromStoreClock });
    const updated = await t.users.update(user.id, 1, { data: { userName: 'ada', title: 'x' } });
    expect(updated).toMatchObject({ status: 'updated', resource: { lastModified: fromStoreClock } });

    const group = await t.groups.create({ displayName: 'Team' }, [user.id]);
    expect(group).toMatchObject({ created: fromStoreClock, lastModified: fromStoreClock });
    const before = group.lastModified;
    await t.users.delete(user.id, undefined);
    const afterDelete = (await t.groups.get(group.id))!.lastModified;
    expect(afterDelete).toEqual(fromStoreClock);
    expect(afterDelete > before).toBe(true);
    expect(await t.users.restore({ id: user.id })).toMatchObject({ lastModified: fromStoreClock, lastDeletedAt: fromStoreClock });
  });

  it('on events: each occurred at the time its change was stamped with', async () => {
    const user = await t.users.create({ data: { userName: 'eve' } });
    const latest = await t.events.latest();
    expect(await t.events.get(latest)).toMatchObject({ type: 'user.created', occurredAt: user.lastModified });
    const hook = await t.webhooks.create({ id: 'w1', url: 'https://example.com/hook', events: ['*'], secret: 'whsec_x' });
    expect(await t.events.get(latest + 1)).toMatchObject({ type: 'webhook.created', occurredAt: hook.created });
  });

  it('on group updates and tenant records', async () => {
    const group = await t.groups.create({ displayName: 'Ops' }, []);
    const changed = await t.groups.update(group.id, undefined, { data: { displayName: 'Ops 2' } });
    expect(changed).toMatchObject({ status: 'updated', resource: { lastModified: fromStoreClock } });
    expect(await store.tenants.create({ id: 'beta', name: 'Beta', settings: {} }, journal)).toMatchObject({ created: fromStoreClock, lastModified: fromStoreClock });
  });
});
