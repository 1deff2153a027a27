import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import type { SchemaRegistry } from '../../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, UniquenessViolation, type BatchResult, type Store, type StoredUser, type TenantStore } from '../../../src/store/port';
import { updated, userData } from './contract-support';
import { journal } from '../../support/journal';

/** The user of a result that must have succeeded. */
const createdOf = (result: BatchResult<StoredUser>): StoredUser => {
  if (!('created' in result)) throw new Error(`expected a created user, got ${String(result.failed)}`);
  return result.created;
};
const failureOf = (result: BatchResult<StoredUser>): unknown => {
  if (!('failed' in result)) throw new Error(`expected a failure, got user ${result.created.id}`);
  return result.failed;
};

/**
 * UserStore.createMany (group commit for POST /Bulk): each user is created exactly as `create`
 * would create it, results in the order of the writes, and each user succeeds or fails alone.
 */
export function batchCreateContract(getStore: () => Store, registry: SchemaRegistry): void {
  describe('UserStore.createMany: many creates written together, each succeeding or failing alone', () => {
    let t: TenantStore;
    const userNamesOf = async () => (await t.users.list({ offset: 0, limit: 100 })).items.map((u) => u.data.userName).sort();
    const matching = async (filter: string) => (await t.users.list({ offset: 0, limit: 10, filter: resolveFilter(registry.user, parseFilter(filter)) })).items.map((u) => u.data.userName);
    const events = async () => (await t.events.read({ after: 0, limit: 1000, scan: 10_000 })).events;

    beforeEach(() => {
      t = getStore().tenant(DEFAULT_TENANT_ID, journal);
    });

    it('creates each user as create does, and answers in the order of the writes', async () => {
      const results = await t.users.createMany([
        { data: userData('carol') },
        { data: userData('ada', { displayName: 'Ada' }), passwordHash: 'scrypt$hash' },
        { data: userData('bob') },
      ]);
      const [carol, ada, bob] = results.map(createdOf);
      expect([carol, ada, bob].map((u) => u.data.userName)).toEqual(['carol', 'ada', 'bob']);
      expect(ada).toMatchObject({ version: 1, data: userData('ada', { displayName: 'Ada' }), passwordHash: 'scrypt$hash' });
      expect(carol).not.toHaveProperty('passwordHash');
      expect(carol.created).toBe(carol.lastModified);
      // What the batch answered is what a read gives back, as for create.
      for (const user of [carol, ada, bob]) expect(await t.users.get(user.id)).toEqual(user);
      expect(new Set([carol.id, ada.id, bob.id]).size).toBe(3);
      expect(await t.users.createMany([])).toEqual([]);
    });

    it('fails a userName taken by an existing user, or earlier in the same batch, alone: the others are written', async () => {
      const existing = await t.users.create({ data: userData('taken') });
      const results = await t.users.createMany([
        { data: userData('first') },
        { data: userData('TAKEN') },
        { data: userData('middle') },
        { data: userData('First') },
        { data: userData('last') },
      ]);
      expect(results.map((r) => ('created' in r ? 'created' : 'failed'))).toEqual(['created', 'failed', 'created', 'failed', 'created']);
      expect(failureOf(results[1])).toEqual(new UniquenessViolation('userName', 'TAKEN', false));
      expect(failureOf(results[3])).toEqual(new UniquenessViolation('userName', 'First', false));
      expect(await userNamesOf()).toEqual(['first', 'last', 'middle', 'taken']);
      expect(await t.users.get(existing.id)).toEqual(existing);
    });

    it('says when the taken userName belongs to a soft-deleted user, as create does', async () => {
      const gone = await t.users.create({ data: userData('gone') });
      updated(await t.users.delete(gone.id, undefined));
      const [result] = await t.users.createMany([{ data: userData('gone') }]);
      expect(failureOf(result)).toEqual(new UniquenessViolation('userName', 'gone', true));
    });

    it('records one user.created event per created user, in order, and none for a user that failed', async () => {
      const results = await t.users.createMany([
        { data: userData('u1') }, { data: userData('U1') }, { data: userData('u2'), passwordHash: 'scrypt$x' }, { data: userData('u3') },
      ]);
      const [u1, , u2, u3] = results.map((r) => ('created' in r ? r.created : undefined));
      const recorded = await events();
      expect(recorded.map((e) => [e.id, e.type, e.resource.id])).toEqual([[1, 'user.created', u1!.id], [2, 'user.created', u2!.id], [3, 'user.created', u3!.id]]);
      expect(recorded[1].changes).toContainEqual({ path: 'password', changed: true });
      expect(JSON.stringify(recorded)).not.toContain('scrypt$');
      // The next write's event follows without a gap: the failed user took no id.
      const after = await t.users.create({ data: userData('u4') });
      expect((await events()).at(-1)).toMatchObject({ id: 4, type: 'user.created', resource: { id: after.id } });
    });

    it('leaves nothing of a failed user behind: its email does not match a filter and its userName stays free for a later create', async () => {
      await t.users.create({ data: userData('dup', { emails: [{ value: 'first@example.com' }] }) });
      const [failed] = await t.users.createMany([{ data: userData('DUP', { emails: [{ value: 'second@example.com' }] }) }]);
      failureOf(failed);
      expect(await matching('emails.value eq "second@example.com"')).toEqual([]);
      expect(await matching('userName eq "dup"')).toEqual(['dup']);
      expect((await t.users.list({ offset: 0, limit: 0 })).total).toBe(1);
      const [again] = await t.users.createMany([{ data: userData('dup2', { emails: [{ value: 'second@example.com' }] }) }]);
      expect(createdOf(again).data.userName).toBe('dup2');
      expect(await matching('emails.value eq "second@example.com"')).toEqual(['dup2']);
    });
  });
}
