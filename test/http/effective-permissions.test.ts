import request from 'supertest';
import {
  ACCOUNT_URN, ADMIN_USERS, BASE, GROUP_URN, LIST_URN, expectScimError, patchBody, startTestApp, userBody, type TestApp,
} from '../support/test-app';

const GROUP_EXTENSION = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Group';
const EFFECTIVE = `${ACCOUNT_URN}:effectivePermissions`;

type Resource = Record<string, any> & { id: string };

/**
 * effectivePermissions (issue 12 §2, seed 000's permissions tab): what a user holds directly
 * (the values of its entitlements) and what it inherits from the groups it is a member of (the
 * Group extension's permissions), served read-only in the Account extension on every response
 * that returns a user, and filterable. The way an application maps IdP groups to its own
 * permissions.
 */
describe('effectivePermissions', () => {
  let t: TestApp;
  let seq = 0;
  const uniqueName = (stem: string) => `${stem}.${++seq}`;

  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  const createUser = async (extra: object = {}, stem = 'user'): Promise<Resource> => {
    const res = await t.post('/Users', userBody(uniqueName(stem), extra));
    expect(res.status).toBe(201);
    return res.body;
  };
  const createGroup = async (permissions: readonly string[] | undefined, memberIds: readonly string[] = [], stem = 'Group'): Promise<Resource> => {
    const res = await t.post('/Groups', {
      schemas: [GROUP_URN, ...(permissions ? [GROUP_EXTENSION] : [])],
      displayName: uniqueName(stem),
      members: memberIds.map((value) => ({ value })),
      ...(permissions ? { [GROUP_EXTENSION]: { permissions } } : {}),
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  const entitlements = (...values: string[]) => ({ entitlements: values.map((value) => ({ value })) });
  const effectiveOf = (user: Resource): string[] | undefined => user[ACCOUNT_URN]?.effectivePermissions;
  const fetched = async (id: string, query = '') => {
    const res = await t.get(`/Users/${id}${query}`);
    expect(res.status).toBe(200);
    return res.body as Resource;
  };
  const filtered = async (filter: string) => {
    const res = await t.get(`/Users?filter=${encodeURIComponent(filter)}&count=100`);
    expect(res.status).toBe(200);
    expect(res.body.schemas).toEqual([LIST_URN]);
    return (res.body.Resources as Resource[]).map((u) => u.userName as string).sort();
  };

  describe('served on every response that returns a user', () => {
    it('is the user\'s own entitlements and its groups\' permissions, each once, sorted', async () => {
      const user = await createUser(entitlements('reports.view', 'app.login'));
      await createGroup(['reports.view', 'invoices.approve'], [user.id], 'Finance');
      await createGroup(['servers.restart'], [user.id], 'Ops');
      await createGroup(undefined, [user.id], 'Plain');
      const served = await fetched(user.id);
      expect(effectiveOf(served)).toEqual(['app.login', 'invoices.approve', 'reports.view', 'servers.restart']);
      expect(served.schemas).toContain(ACCOUNT_URN);
      expect(served.groups).toHaveLength(3);
    });

    it('on create, replace and modify: the response shows what the user holds after the write', async () => {
      const user = await createUser(entitlements('own.one'));
      expect(effectiveOf(user)).toEqual(['own.one']);
      await createGroup(['inherited'], [user.id]);
      const replaced = await t.put(`/Users/${user.id}`, userBody(user.userName, entitlements('own.two')));
      expect(replaced.status).toBe(200);
      expect(effectiveOf(replaced.body)).toEqual(['inherited', 'own.two']);
      const patched = await t.patch(`/Users/${user.id}`, patchBody({ op: 'add', path: 'entitlements', value: [{ value: 'own.three' }] }));
      expect(patched.status).toBe(200);
      expect(effectiveOf(patched.body)).toEqual(['inherited', 'own.three', 'own.two']);
    });

    it('is left out for a user who holds none, without adding the Account extension for it', async () => {
      const user = await createUser();
      const served = await fetched(user.id);
      expect(served[ACCOUNT_URN]).not.toHaveProperty('effectivePermissions');
    });

    it('ignores a value a client sends: it is computed, never stored', async () => {
      const sent = { [ACCOUNT_URN]: { effectivePermissions: ['forged.admin'] } };
      const user = await createUser({ ...entitlements('real'), ...sent });
      expect(effectiveOf(user)).toEqual(['real']);
      const replaced = await t.put(`/Users/${user.id}`, userBody(user.userName, sent));
      expect(replaced.status).toBe(200);
      expect(effectiveOf(replaced.body)).toBeUndefined();
      expect((await t.data.users.get(user.id))!.data[ACCOUNT_URN]).not.toHaveProperty('effectivePermissions');
      // PATCH names the attribute itself: writing a read-only attribute is refused, as for groups.
      expectScimError(await t.patch(`/Users/${user.id}`, patchBody({ op: 'add', path: EFFECTIVE, value: ['forged.admin'] })), 400, 'mutability');
    });

    it('on /Me, to the user the token acts as', async () => {
      const user = await createUser(entitlements('self.read'));
      await createGroup(['team.read'], [user.id]);
      const minted = await request(t.app).post(`${ADMIN_USERS}/${user.id}/tokens`).set('Authorization', `Bearer ${t.token}`).send({ name: 'me' });
      expect(minted.status).toBe(201);
      const me = await request(t.app).get(`${BASE}/Me`).set('Authorization', `Bearer ${minted.body.token}`);
      expect(me.status).toBe(200);
      expect(effectiveOf(me.body)).toEqual(['self.read', 'team.read']);
    });
  });

  describe('follows the groups', () => {
    it('changes with a group\'s permissions and memberships; the group\'s event names the change, no user event is recorded', async () => {
      const user = await createUser();
      const group = await createGroup(['reports.view'], [user.id]);
      const recorded = (await t.data.events.read({ after: 0, limit: 1000, scan: 100_000 })).events.length;
      const patched = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: `${GROUP_EXTENSION}:permissions`, value: ['reports.export'] }));
      expect(patched.status).toBe(200);
      expect(effectiveOf(await fetched(user.id))).toEqual(['reports.export', 'reports.view']);

      const events = (await t.data.events.read({ after: 0, limit: 1000, scan: 100_000 })).events.slice(recorded);
      expect(events).toEqual([expect.objectContaining({ type: 'group.updated', resource: expect.objectContaining({ id: group.id }) })]);
      expect(events[0].changes).toEqual([expect.objectContaining({ path: `${GROUP_EXTENSION}:permissions`, after: ['reports.view', 'reports.export'] })]);

      const removed = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: `members[value eq "${user.id}"]` }));
      expect(removed.status).toBe(204);
      expect(effectiveOf(await fetched(user.id))).toBeUndefined();
    });

    it('renders a user in 300 groups quickly, with every permission they grant', async () => {
      const user = await createUser(entitlements('own'));
      for (let i = 0; i < 300; i++) {
        await t.data.groups.create({ displayName: uniqueName('Many'), [GROUP_EXTENSION]: { permissions: [`perm.${String(i).padStart(3, '0')}`, 'shared'] } }, [user.id]);
      }
      const started = performance.now();
      const served = await fetched(user.id);
      const elapsed = performance.now() - started;
      expect(effectiveOf(served)).toHaveLength(302);
      expect(effectiveOf(served)!.slice(0, 2)).toEqual(['own', 'perm.000']);
      expect(served.groups).toHaveLength(300);
      // Measured at about 100 ms (HTTP included) on a busy two-core machine; the bound leaves room.
      expect(elapsed).toBeLessThan(1500);
    });

    it('reads the memberships of a whole page at once, and not at all when the response returns neither groups nor effectivePermissions', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) ids.push((await createUser({}, 'paged')).id);
      await createGroup(['paged.read'], ids);
      const groupsOf = jest.spyOn(t.data.users, 'groupsOf');
      const page = await t.get(`/Users?filter=${encodeURIComponent('userName sw "paged."')}&count=50`);
      expect(page.status).toBe(200);
      expect(page.body.Resources).toHaveLength(12);
      for (const user of page.body.Resources as Resource[]) expect(effectiveOf(user)).toEqual(['paged.read']);
      expect(groupsOf).toHaveBeenCalledTimes(1);
      groupsOf.mockClear();
      expect((await t.get(`/Users?filter=${encodeURIComponent('userName sw "paged."')}&attributes=userName`)).status).toBe(200);
      expect(groupsOf).not.toHaveBeenCalled();
    });
  });

  describe('attributes and excludedAttributes', () => {
    let user: Resource;
    beforeAll(async () => {
      user = await createUser({ ...entitlements('x.read'), [ACCOUNT_URN]: { accountType: 'Internal' } });
      await createGroup(['y.read'], [user.id]);
    });

    it.each([
      ['attributes=effectivePermissions (the short name)', '?attributes=effectivePermissions', ['x.read', 'y.read'], false],
      [`attributes=${EFFECTIVE}`, `?attributes=${EFFECTIVE}`, ['x.read', 'y.read'], false],
      ['attributes=userName', '?attributes=userName', undefined, false],
      ['excludedAttributes=groups', '?excludedAttributes=groups', ['x.read', 'y.read'], true],
      [`excludedAttributes=${EFFECTIVE}`, `?excludedAttributes=${EFFECTIVE}`, undefined, true],
    ])('%s', async (_label, query, expected, accountShown) => {
      const served = await fetched(user.id, query);
      expect(effectiveOf(served)).toEqual(expected);
      expect(served[ACCOUNT_URN]?.accountType !== undefined).toBe(accountShown);
    });
  });

  describe('filters', () => {
    let names: Record<string, string>;
    beforeAll(async () => {
      const holder = await createUser(entitlements('audit.read'), 'holder');
      const member = await createUser({}, 'member');
      const neither = await createUser({}, 'neither');
      const gone = await createUser({}, 'gone');
      await createGroup(['audit.read', 'audit.export'], [member.id, gone.id], 'Auditors');
      expect((await t.delete(`/Users/${gone.id}`)).status).toBe(204);
      names = { holder: holder.userName, member: member.userName, neither: neither.userName };
    });

    it.each([
      ['effectivePermissions eq "audit.read"', ['holder', 'member']],
      [`${EFFECTIVE} eq "audit.read"`, ['holder', 'member']],
      ['effectivePermissions eq "audit.export"', ['member']],
      ['effectivePermissions sw "audit." and userName sw "member"', ['member']],
      ['effectivePermissions co "export"', ['member']],
      ['not (effectivePermissions pr) and userName sw "neither"', ['neither']],
    ])('%s', async (filter, expected) => {
      expect(await filtered(filter)).toEqual(expected.map((key) => names[key]).sort());
    });

    it('works in POST /.search too', async () => {
      const res = await t.post('/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'effectivePermissions eq "audit.export"' });
      expect(res.status).toBe(200);
      expect((res.body.Resources as Resource[]).map((u) => u.userName)).toEqual([names.member]);
    });

    it.each(['gt', 'ge', 'lt', 'le'])('refuses %s: permissions are names, which have no order (400 invalidFilter)', async (op) => {
      const res = await t.get(`/Users?filter=${encodeURIComponent(`effectivePermissions ${op} "a"`)}`);
      expect(expectScimError(res, 400, 'invalidFilter').detail).toMatch(/permissions are names, which have no order; use eq, ne, co, sw, ew or pr/);
    });
  });
});
