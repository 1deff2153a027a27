import type { SchemaRegistry } from '../../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type Store, type TenantStore } from '../../../src/store/port';
import { journal } from '../../support/journal';
import { DAY, inactiveBefore, inactiveSince, iso, sorted, tick, updated, userData } from './contract-support';

/**
 * Issue 13: the retention sweeps in chunks. Each of the four erasing calls takes a `limit`: it
 * does at most that many (in one short transaction), fewer means none are left, and calling it
 * again until then does the whole job, each user or event once, a change event per user as
 * without a limit.
 */
export function sweepChunksContract(getStore: () => Store, registry: SchemaRegistry): void {
  describe('sweeps in chunks (issue 13)', () => {
    let t: TenantStore;
    beforeEach(() => {
      t = getStore().tenant(DEFAULT_TENANT_ID, journal);
    });

    /** Calls `step` until it returns fewer than `limit`; every result, in order. */
    const untilShort = async <T>(limit: number, step: () => Promise<readonly T[]>) => {
      const chunks: (readonly T[])[] = [];
      for (;;) {
        const chunk = await step();
        chunks.push(chunk);
        if (chunk.length < limit) return chunks;
      }
    };
    const ids = (users: readonly { readonly id: string }[]) => users.map((u) => u.id);
    const eventsOf = async (type: string) =>
      (await t.events.read({ after: 0, limit: 1000, scan: 10_000 })).events.filter((e) => e.type === type).map((e) => e.resource.id);

    it('purgeDeleted erases at most `limit` users a call, the longest deleted first, until fewer come back: each user once, with its user.erased event', async () => {
      const users = [];
      for (let i = 0; i < 5; i++) users.push(await t.users.create({ data: userData(`gone.${i}`) }));
      const kept = await t.users.create({ data: userData('kept') });
      for (const user of users) {
        updated(await t.users.delete(user.id, undefined));
        await tick();
      }
      const chunks = await untilShort(2, () => t.users.purgeDeleted(iso(Date.now() + DAY), 2));
      expect(chunks.map(ids)).toEqual([[users[0].id, users[1].id], [users[2].id, users[3].id], [users[4].id]]);
      expect(chunks.flat()).toContainEqual({ id: users[0].id, userName: 'gone.0' });
      expect(await t.users.purgeDeleted(iso(Date.now() + DAY), 2)).toEqual([]);
      expect(sorted(await eventsOf('user.erased'))).toEqual(sorted(ids(users)));
      expect(await t.users.get(kept.id)).toBeDefined();
      for (const user of users) expect(await t.users.restore({ id: user.id })).toBeUndefined();
    });

    it('softDeleteWhere deletes at most `limit` of the users the filter selects a call, until fewer come back: each once, with its user.deleted event', async () => {
      const now = Date.now();
      const idle = [];
      for (let i = 0; i < 5; i++) {
        await t.users.create({ data: userData(`busy.${i}`) });
        idle.push(await t.users.create({ data: userData(`idle.${i}`, inactiveSince(now - 100 * DAY)) }));
      }
      const filter = inactiveBefore(registry, iso(now - 90 * DAY));
      const chunks = await untilShort(2, () => t.users.softDeleteWhere(filter, 2));
      expect(chunks.map((chunk) => chunk.length)).toEqual([2, 2, 1]);
      expect(sorted(ids(chunks.flat()))).toEqual(sorted(ids(idle)));
      expect(await t.users.softDeleteWhere(filter, 2)).toEqual([]);
      expect(sorted(await eventsOf('user.deleted'))).toEqual(sorted(ids(idle)));
      expect((await t.users.list({ offset: 0, limit: 100 })).items.map((u) => u.data.userName).sort()).toEqual(['busy.0', 'busy.1', 'busy.2', 'busy.3', 'busy.4']);
    });

    it('a limit of 0 changes nothing', async () => {
      const user = await t.users.create({ data: userData('zero', inactiveSince(Date.now() - 100 * DAY)) });
      updated(await t.users.delete((await t.users.create({ data: userData('zero.gone') })).id, undefined));
      expect(await t.users.softDeleteWhere(inactiveBefore(registry, iso(Date.now())), 0)).toEqual([]);
      expect(await t.users.purgeDeleted(iso(Date.now() + DAY), 0)).toEqual([]);
      expect(await t.users.get(user.id)).toBeDefined();
      expect(await t.events.eraseBefore(iso(Date.now() + DAY), 0)).toBe(0);
      expect((await t.events.read({ after: 0, limit: 100, scan: 1000 })).events).not.toEqual([]);
      expect(await t.clients.purgeAccessTokens(iso(Date.now() + DAY), 0)).toBe(0);
      expect(await t.users.restore({ userName: 'zero.gone' })).toBeDefined();
    });

    it('eraseBefore erases at most `limit` events a call, the oldest first, until fewer: the later events stay', async () => {
      for (let i = 0; i < 5; i++) await t.users.create({ data: userData(`old.${i}`) });
      await tick();
      const cutoff = iso(Date.now());
      await tick();
      await t.users.create({ data: userData('new') });
      const chunks = [];
      for (let erased = -1; erased !== 0;) chunks.push(erased = await t.events.eraseBefore(cutoff, 2));
      expect(chunks).toEqual([2, 2, 1, 0]);
      expect((await t.events.read({ after: 0, limit: 100, scan: 1000 })).events.map((e) => e.id)).toEqual([6]);
    });

    it('purgeAccessTokens erases at most `limit` expired access tokens a call, until fewer', async () => {
      const NOW = Date.UTC(2030, 0, 10);
      await t.clients.create({ id: 'c-sweep', name: 'entra', created: iso(NOW) });
      await t.clients.addSecret({ id: 's-sweep', clientId: 'c-sweep', hash: 'hash-of-s-sweep', created: iso(NOW), expires: iso(NOW + 365 * DAY) });
      const token = (id: string, expires: number) =>
        t.tokens.create({ id, name: 'oauth:c-sweep', hash: `hash-of-${id}`, created: iso(NOW - DAY), expires: iso(expires), clientId: 'c-sweep', secretId: 's-sweep' });
      for (let i = 0; i < 3; i++) await token(`expired-${i}`, NOW - 1000 * (i + 1));
      await token('fresh', NOW + 3_600_000);
      const chunks = [];
      for (let erased = -1; erased !== 0;) chunks.push(erased = await t.clients.purgeAccessTokens(iso(NOW), 2));
      expect(chunks).toEqual([2, 1, 0]);
      for (let i = 0; i < 3; i++) expect(await t.tokens.get(`expired-${i}`)).toBeUndefined();
      expect(await t.tokens.get('fresh')).toBeDefined();
    });
  });
}
