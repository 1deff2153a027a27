import { changeJournal } from '../../../src/domain/events/journal';
import { typeMatcher } from '../../../src/domain/events/type-pattern';
import { DEFAULT_TENANT_ID, UniquenessViolation, UnknownMembers, type ChangeEvent, type Store, type TenantStore } from '../../../src/store/port';
import { iso, tick, updated, userData } from './contract-support';
import { journal as systemJournal } from '../../support/journal';

/** A service token's journal: its events name the token and the request. */
const okta = changeJournal({ actor: { kind: 'service', tokenId: 'tok-okta', tokenName: 'okta' }, requestId: 'req-1' });
const admin = changeJournal({ actor: { kind: 'user', tokenId: 'tok-ada', tokenName: 'ada laptop', userId: 'user-ada' }, requestId: 'req-2' });

/**
 * The change events every adapter records (store port: Journal, EventLog): in the write's own
 * transaction, with ids 1, 2, 3… per tenant in commit order, none for a write that failed.
 */
export function eventsContract(getStore: () => Store): void {
  describe('change events', () => {
    let store: Store;
    let t: TenantStore;
    const all = async (tenant = t) => (await tenant.events.read({ after: 0, limit: 1000, scan: 10_000 })).events;
    const summary = (events: readonly ChangeEvent[]) => events.map((e) => [e.id, e.type, e.resource.id, e.member?.id].filter((x) => x !== undefined));

    beforeEach(() => {
      store = getStore();
      t = store.tenant(DEFAULT_TENANT_ID, okta);
    });

    it('records a user\'s life as events 1, 2, 3…, each with the origin, the resource and its changes', async () => {
      const ada = await t.users.create({ data: userData('ada', { active: true }), passwordHash: 'scrypt$secret-hash' });
      const renamed = updated(await t.users.update(ada.id, 1, { data: userData('ada', { active: true, displayName: 'Ada' }) }));
      updated(await t.users.update(ada.id, renamed.version, { data: userData('ada', { active: false, displayName: 'Ada' }), passwordHash: 'scrypt$new' }));
      updated(await t.users.delete(ada.id, undefined));
      await t.users.restore({ id: ada.id });
      const events = await all();
      expect(events.map((e) => [e.id, e.type])).toEqual([[1, 'user.created'], [2, 'user.updated'], [3, 'user.deactivated'], [4, 'user.deleted'], [5, 'user.restored']]);
      for (const event of events) {
        expect(event).toMatchObject({ tenant: DEFAULT_TENANT_ID, actor: { kind: 'service', tokenId: 'tok-okta', tokenName: 'okta' }, requestId: 'req-1', resource: { type: 'User', id: ada.id, userName: 'ada' } });
        expect(Number.isNaN(Date.parse(event.occurredAt))).toBe(false);
      }
      expect(events[1].changes).toEqual([{ path: 'displayName', after: 'Ada' }]);
      expect(events[2].changes).toEqual([{ path: 'active', before: true, after: false }, { path: 'password', changed: true }]);
      expect(JSON.stringify(events)).not.toContain('scrypt$');
      expect(await t.events.latest()).toBe(5);
      expect(await t.events.get(3)).toEqual(events[2]);
      expect(await t.events.get(99)).toBeUndefined();
    });

    it('records nothing for a write that fails or changes nothing', async () => {
      const ada = await t.users.create({ data: userData('ada') });
      await expect(t.users.create({ data: userData('ADA') })).rejects.toBeInstanceOf(UniquenessViolation);
      expect(await t.users.update(ada.id, 7, { data: userData('ada', { title: 'x' }) })).toMatchObject({ status: 'versionMismatch' });
      await expect(t.groups.create({ displayName: 'G' }, [ada.id, 'no-such-user'])).rejects.toBeInstanceOf(UnknownMembers);
      const group = await t.groups.create({ displayName: 'H' }, []);
      await expect(t.groups.update(group.id, undefined, { memberChanges: [{ op: 'add', ids: [ada.id, 'nobody'] }] })).rejects.toBeInstanceOf(UnknownMembers);
      // A member already in (or not in) the group: a write, but no change of membership.
      updated(await t.groups.update(group.id, undefined, { memberChanges: [{ op: 'remove', ids: [ada.id] }] }));
      expect(summary(await all())).toEqual([[1, 'user.created', ada.id], [2, 'group.created', group.id]]);
      expect((await t.groups.membersOf([group.id])).get(group.id)).toEqual([]);
    });

    it('records one event a member added or removed, by the net change of the write, with the member\'s userName', async () => {
      const [a, b, c] = [await t.users.create({ data: userData('a') }), await t.users.create({ data: userData('b') }), await t.users.create({ data: userData('c') })];
      const group = await t.groups.create({ displayName: 'Admins' }, [a.id, b.id]);
      // A PUT of the member list: remove all, add the new list. a stays, b goes, c comes.
      updated(await t.groups.update(group.id, undefined, { data: { displayName: 'Admins' }, memberChanges: [{ op: 'removeAll' }, { op: 'add', ids: [a.id, c.id] }] }));
      updated(await t.groups.update(group.id, undefined, { data: { displayName: 'Owners' } }));
      await t.groups.delete(group.id, undefined);
      const events = (await all()).slice(3);
      expect(summary(events)).toEqual([
        [4, 'group.created', group.id], [5, 'group.member_added', group.id, a.id], [6, 'group.member_added', group.id, b.id],
        [7, 'group.member_added', group.id, c.id], [8, 'group.member_removed', group.id, b.id],
        [9, 'group.updated', group.id], [10, 'group.deleted', group.id],
      ]);
      expect(events[1].member).toEqual({ type: 'User', id: a.id, userName: 'a' });
      expect(events[4].member).toEqual({ type: 'User', id: b.id, userName: 'b' });
      expect(events[5]).toMatchObject({ resource: { type: 'Group', id: group.id, displayName: 'Owners' }, changes: [{ path: 'displayName', before: 'Admins', after: 'Owners' }] });
    });

    it('records a user erased by the purge and users soft-deleted by a sweep, as Roster\'s own work', async () => {
      const sweep = store.tenant(DEFAULT_TENANT_ID, systemJournal);
      const gone = await t.users.create({ data: userData('gone') });
      updated(await t.users.delete(gone.id, undefined));
      expect(await sweep.users.purgeDeleted(iso(Date.now() + 60_000))).toEqual([{ id: gone.id, userName: 'gone' }]);
      const [, , erased] = await all();
      expect(erased).toMatchObject({ id: 3, type: 'user.erased', actor: { kind: 'system' }, resource: { type: 'User', id: gone.id, userName: 'gone' } });
      expect(erased.requestId).toBeUndefined();
    });

    it('records tokens issued, revoked (once) and deleted, never their hash', async () => {
      const tokens = store.tenant(DEFAULT_TENANT_ID, admin).tokens;
      await tokens.create({ id: 'tk-1', name: 'laptop', hash: 'hash-tk-1', created: iso(Date.now()), userId: 'user-ada' });
      await tokens.create({ id: 'tk-2', name: 'phone', hash: 'hash-tk-2', created: iso(Date.now()), userId: 'user-ada' });
      expect(await tokens.revoke('tk-1', iso(Date.now()))).toBe(true);
      expect(await tokens.revoke('tk-1', iso(Date.now()))).toBe(true);
      expect(await tokens.revoke('tk-none', iso(Date.now()))).toBe(false);
      await tokens.revokeOfUser('user-ada', iso(Date.now()));
      expect(await tokens.remove('tk-1')).toBe(true);
      const events = await all();
      expect(summary(events)).toEqual([[1, 'token.created', 'tk-1'], [2, 'token.created', 'tk-2'], [3, 'token.revoked', 'tk-1'], [4, 'token.revoked', 'tk-2'], [5, 'token.deleted', 'tk-1']]);
      expect(events[0]).toMatchObject({ actor: { kind: 'user', userId: 'user-ada' }, resource: { type: 'Token', id: 'tk-1', name: 'laptop' } });
      expect(JSON.stringify(events)).not.toContain('hash-tk');
    });

    it('numbers each tenant\'s events on their own, from tenant.created, and records tenant.updated', async () => {
      await t.users.create({ data: userData('here') });
      await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, okta);
      const acme = store.tenant('acme', okta);
      await acme.users.create({ data: userData('there') });
      await store.tenants.update('acme', { name: 'Acme Corp' }, okta);
      await store.tenants.update('acme', { name: 'Acme Corp' }, okta);
      expect(summary(await all(acme))).toEqual([[1, 'tenant.created', 'acme'], [2, 'user.created', expect.any(String)], [3, 'tenant.updated', 'acme']]);
      expect((await all(acme))[2].changes).toEqual([{ path: 'name', before: 'Acme', after: 'Acme Corp' }]);
      expect(summary(await all())).toEqual([[1, 'user.created', expect.any(String)]]);
      expect(await acme.events.latest()).toBe(3);
    });

    describe('the feed', () => {
      let ids: { a: string; b: string; group: string };
      beforeEach(async () => {
        const a = await t.users.create({ data: userData('a') });
        const b = await store.tenant(DEFAULT_TENANT_ID, admin).users.create({ data: userData('b') });
        const group = await t.groups.create({ displayName: 'G' }, [a.id]);
        updated(await t.users.update(a.id, undefined, { data: userData('a', { title: 'Boss' }) }));
        ids = { a: a.id, b: b.id, group: group.id };
        // 1 user.created a, 2 user.created b (ada's token), 3 group.created, 4 member_added a, 5 user.updated a
      });
      const read = (query: Partial<Parameters<TenantStore['events']['read']>[0]>) => t.events.read({ after: 0, limit: 100, scan: 10_000, ...query });

      it('pages by id: `next` is the last event read, and equals `after` once caught up', async () => {
        expect(await read({ limit: 2 })).toMatchObject({ events: [{ id: 1 }, { id: 2 }], next: 2 });
        expect(await read({ after: 2, limit: 2 })).toMatchObject({ events: [{ id: 3 }, { id: 4 }], next: 4 });
        expect(await read({ after: 4, limit: 2 })).toMatchObject({ events: [{ id: 5 }], next: 5 });
        expect(await read({ after: 5 })).toEqual({ events: [], next: 5 });
      });

      it('filters by type, resource (as the resource or as a member) and actor', async () => {
        expect((await read({ type: typeMatcher(['user.*']) })).events.map((e) => e.id)).toEqual([1, 2, 5]);
        expect((await read({ type: typeMatcher(['group.member_*']) })).events.map((e) => e.id)).toEqual([4]);
        expect((await read({ resourceId: ids.a })).events.map((e) => e.id)).toEqual([1, 4, 5]);
        expect((await read({ resourceId: ids.a, type: typeMatcher(['user.updated']) })).events.map((e) => e.id)).toEqual([5]);
        expect((await read({ actorTokenId: 'tok-ada' })).events.map((e) => e.id)).toEqual([2]);
        expect((await read({ resourceId: ids.a, actorTokenId: 'tok-ada' })).events).toEqual([]);
      });

      it('reads newest first below `before`: `next` is the lowest id examined, `more` whether older ones may remain', async () => {
        const newest = Number.MAX_SAFE_INTEGER;
        expect(await read({ before: newest, limit: 2 })).toMatchObject({ events: [{ id: 5 }, { id: 4 }], next: 4, more: true });
        expect(await read({ before: 4, limit: 2 })).toMatchObject({ events: [{ id: 3 }, { id: 2 }], next: 2, more: true });
        expect(await read({ before: 2, limit: 2 })).toMatchObject({ events: [{ id: 1 }], next: 1, more: false });
        expect(await read({ before: 1 })).toEqual({ events: [], next: 1, more: false });
        expect((await read({ before: newest, resourceId: ids.a })).events.map((e) => e.id)).toEqual([5, 4, 1]);
        expect((await read({ before: newest, type: typeMatcher(['user.*']) })).events.map((e) => e.id)).toEqual([5, 2, 1]);
        expect((await read({ before: 5, actorTokenId: 'tok-ada' })).events.map((e) => e.id)).toEqual([2]);
        expect((await read({ before: newest, resourceId: ids.a, actorTokenId: 'tok-ada' })).events).toEqual([]);
        const groupsOnly = typeMatcher(['group.*']);
        expect(await read({ before: newest, scan: 2, type: groupsOnly })).toMatchObject({ events: [{ id: 4 }], next: 4, more: true });
        expect(await read({ before: 4, scan: 2, type: groupsOnly })).toMatchObject({ events: [{ id: 3 }], next: 2, more: true });
      });

      it('examines at most `scan` events a page: a short (even empty) page moves `next` past what it examined', async () => {
        const groupsOnly = typeMatcher(['group.*']);
        expect(await read({ scan: 2, type: groupsOnly })).toEqual({ events: [], next: 2 });
        expect(await read({ after: 2, scan: 2, type: groupsOnly })).toMatchObject({ events: [{ id: 3 }, { id: 4 }], next: 4 });
        expect(await read({ after: 4, scan: 2, type: groupsOnly })).toEqual({ events: [], next: 5 });
        expect(await read({ after: 5, scan: 2, type: groupsOnly })).toEqual({ events: [], next: 5 });
      });

      it('erases events that occurred before a time, and never gives their ids again', async () => {
        await tick();
        const cutoff = iso(Date.now());
        await tick();
        await t.users.create({ data: userData('later') });
        expect(await t.events.eraseBefore(cutoff)).toBe(5);
        expect((await read({})).events.map((e) => [e.id, e.type])).toEqual([[6, 'user.created']]);
        expect(await t.events.eraseBefore(cutoff)).toBe(0);
        await t.users.create({ data: userData('after.erase') });
        expect(await t.events.latest()).toBe(7);
      });
    });
  });
}
