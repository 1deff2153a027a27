import request from 'supertest';
import {
  ACCOUNT_URN, ADMIN_USERS, BASE, GROUP_URN, USER_URN, expectScimError, patchBody, startTestApp, userBody, type TestApp,
} from '../support/test-app';

const GROUP_EXTENSION = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Group';
const BULK_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

type Body = Record<string, any>;

/**
 * Issue 12 §2: the attributes the product docs name are kept (group description and
 * permissions; the Account extension's expiresAt, forcePasswordChange and birthdate), through
 * every write; names no schema defines are refused instead of dropped.
 */
describe('attributes the docs name', () => {
  let t: TestApp;
  let seq = 0;
  const unique = (stem: string) => `${stem}.${++seq}`;

  beforeAll(async () => { t = await startTestApp({ maxStringLength: 300, maxMultiValues: 10 }); });
  afterAll(() => t.close());

  const created = async (path: string, body: object): Promise<Body> => {
    const res = await t.post(path, body);
    expect(res.status).toBe(201);
    return res.body;
  };
  const read = async (path: string): Promise<Body> => {
    const res = await t.get(path);
    expect(res.status).toBe(200);
    return res.body;
  };
  const ok = (res: { status: number; body: Body }) => {
    if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const groupBody = (extra: object = {}) => ({ schemas: [GROUP_URN, GROUP_EXTENSION], displayName: unique('group'), ...extra });

  describe('group description and permissions (Group extension)', () => {
    it('POST keeps them, GET returns them under the extension, which schemas then names', async () => {
      const group = await created('/Groups', groupBody({ [GROUP_EXTENSION]: { description: 'The sales team', permissions: ['reports.view', 'deals.edit'] } }));
      expect(group.schemas).toEqual([GROUP_URN, GROUP_EXTENSION]);
      expect(group[GROUP_EXTENSION]).toEqual({ description: 'The sales team', permissions: ['reports.view', 'deals.edit'] });
      expect((await read(`/Groups/${group.id}`))[GROUP_EXTENSION]).toEqual(group[GROUP_EXTENSION]);
    });

    it('takes description and permissions without the URN too (seed 000 sends description beside displayName)', async () => {
      const group = await created('/Groups', { schemas: [GROUP_URN], displayName: unique('group'), description: 'Support', permissions: ['tickets.view'] });
      expect(group[GROUP_EXTENSION]).toEqual({ description: 'Support', permissions: ['tickets.view'] });
    });

    it('PUT replaces them, and leaving them out of a PUT removes them', async () => {
      const group = await created('/Groups', groupBody({ [GROUP_EXTENSION]: { description: 'old', permissions: ['a'] } }));
      const replaced = ok(await t.put(`/Groups/${group.id}`, { ...groupBody({ displayName: group.displayName }), [GROUP_EXTENSION]: { description: 'new', permissions: ['b', 'c'] } }));
      expect(replaced[GROUP_EXTENSION]).toEqual({ description: 'new', permissions: ['b', 'c'] });
      const cleared = ok(await t.put(`/Groups/${group.id}`, { schemas: [GROUP_URN], displayName: group.displayName }));
      expect(cleared).not.toHaveProperty(GROUP_EXTENSION);
      expect(cleared.schemas).toEqual([GROUP_URN]);
    });

    it.each([
      ['a URN-qualified path', `${GROUP_EXTENSION}:description`],
      ['the unqualified name', 'description'],
    ])('PATCH sets and removes the description through %s', async (_label, path) => {
      const group = await created('/Groups', groupBody());
      const set = ok(await t.patch(`/Groups/${group.id}`, patchBody({ op: 'replace', path, value: 'Night shift' })));
      expect(set[GROUP_EXTENSION]).toEqual({ description: 'Night shift' });
      const removed = ok(await t.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path })));
      expect(removed).not.toHaveProperty(GROUP_EXTENSION);
    });

    it('PATCH adds and removes single permissions, keeping the others', async () => {
      const group = await created('/Groups', groupBody({ [GROUP_EXTENSION]: { permissions: ['a'] } }));
      const path = `${GROUP_EXTENSION}:permissions`;
      expect(ok(await t.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path, value: ['b', 'c'] })))[GROUP_EXTENSION].permissions).toEqual(['a', 'b', 'c']);
      expect(ok(await t.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path, value: ['b'] })))[GROUP_EXTENSION].permissions).toEqual(['a', 'c']);
    });

    it('keeps permissions exactly as sent: they are case-exact names', async () => {
      const group = await created('/Groups', groupBody({ [GROUP_EXTENSION]: { permissions: ['Reports.View', 'reports.view'] } }));
      expect(group[GROUP_EXTENSION].permissions).toEqual(['Reports.View', 'reports.view']);
    });

    it('refuses a description longer than MAX_STRING_LENGTH: 400 invalidValue naming it', async () => {
      const error = expectScimError(await t.post('/Groups', groupBody({ [GROUP_EXTENSION]: { description: 'x'.repeat(301) } })), 400, 'invalidValue');
      expect(error.detail).toContain('description');
      expect(error.detail).toContain('300');
    });

    it('refuses more permissions than MAX_MULTI_VALUES, in a POST and in a PATCH', async () => {
      const many = Array.from({ length: 11 }, (_, i) => `p${i}`);
      expect(expectScimError(await t.post('/Groups', groupBody({ [GROUP_EXTENSION]: { permissions: many } })), 400, 'invalidValue').detail).toContain('permissions has 11 values');
      const group = await created('/Groups', groupBody({ [GROUP_EXTENSION]: { permissions: many.slice(0, 10) } }));
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: `${GROUP_EXTENSION}:permissions`, value: ['one.more'] }));
      expect(expectScimError(res, 400, 'invalidValue').detail).toContain('permissions has 11 values');
    });

    it('refuses permissions that are not strings: 400 invalidValue', async () => {
      expectScimError(await t.post('/Groups', groupBody({ [GROUP_EXTENSION]: { permissions: [{ value: 'a' }] } })), 400, 'invalidValue');
    });
  });

  describe('expiresAt, forcePasswordChange and birthdate (Account extension)', () => {
    const account = (user: Body) => user[ACCOUNT_URN] as Body;
    const newUser = (attributes: object = {}) => created('/Users', userBody(unique('attr'), { [ACCOUNT_URN]: attributes }));

    it('POST keeps all three, and GET returns them', async () => {
      const user = await newUser({ expiresAt: '2031-06-30T17:00:00Z', forcePasswordChange: true, birthdate: '1990-04-23' });
      expect(account(user)).toMatchObject({ expiresAt: '2031-06-30T17:00:00.000Z', forcePasswordChange: true, birthdate: '1990-04-23' });
      expect(account(await read(`/Users/${user.id}`))).toMatchObject({ expiresAt: '2031-06-30T17:00:00.000Z', forcePasswordChange: true, birthdate: '1990-04-23' });
    });

    it('takes them without the URN, as URN-qualified keys, and Entra\'s "True" for the boolean', async () => {
      const user = await created('/Users', userBody(unique('attr'), {
        forcePasswordChange: 'True', [`${ACCOUNT_URN}:birthdate`]: '2001-12-31', expiresAt: '2031-01-01T00:00:00+02:00',
      }));
      expect(account(user)).toMatchObject({ forcePasswordChange: true, birthdate: '2001-12-31', expiresAt: '2030-12-31T22:00:00.000Z' });
    });

    it('PUT replaces them; a PUT that leaves them out keeps them, as it keeps the other Account attributes', async () => {
      const user = await newUser({ expiresAt: '2031-06-30T17:00:00Z', forcePasswordChange: true, birthdate: '1990-04-23' });
      const replaced = ok(await t.put(`/Users/${user.id}`, userBody(user.userName, { [ACCOUNT_URN]: { expiresAt: '2032-01-01T00:00:00Z', forcePasswordChange: false, birthdate: '1991-05-24' } })));
      const stated = { expiresAt: '2032-01-01T00:00:00.000Z', forcePasswordChange: false, birthdate: '1991-05-24' };
      expect(account(replaced)).toMatchObject(stated);
      // An IdP that maps none of them (Okta's wizard apps PUT only what they map) cannot wipe them.
      expect(account(ok(await t.put(`/Users/${user.id}`, userBody(user.userName))))).toMatchObject(stated);
    });

    it.each([
      ['with URN-qualified paths', (name: string, value: unknown) => ({ op: 'replace', path: `${ACCOUNT_URN}:${name}`, value })],
      ['with unqualified paths', (name: string, value: unknown) => ({ op: 'replace', path: name, value })],
      ['without a path', (name: string, value: unknown) => ({ op: 'replace', value: { [`${ACCOUNT_URN}:${name}`]: value } })],
    ])('PATCH sets and removes each %s', async (_label, operation) => {
      const user = await newUser();
      const patched = ok(await t.patch(`/Users/${user.id}`, patchBody(
        operation('expiresAt', '2031-06-30T17:00:00Z'), operation('forcePasswordChange', true), operation('birthdate', '1990-04-23'),
      )));
      expect(account(patched)).toMatchObject({ expiresAt: '2031-06-30T17:00:00.000Z', forcePasswordChange: true, birthdate: '1990-04-23' });
      const removed = account(ok(await t.patch(`/Users/${user.id}`, patchBody(
        { op: 'remove', path: `${ACCOUNT_URN}:expiresAt` }, { op: 'remove', path: `${ACCOUNT_URN}:forcePasswordChange` }, { op: 'remove', path: `${ACCOUNT_URN}:birthdate` },
      ))));
      for (const name of ['expiresAt', 'forcePasswordChange', 'birthdate']) expect(removed).not.toHaveProperty(name);
    });

    it.each([
      ['expiresAt that is no dateTime', { expiresAt: 'next year' }, 'expiresAt'],
      ['expiresAt that is a number', { expiresAt: 1_900_000_000 }, 'expiresAt'],
      ['forcePasswordChange that is no boolean', { forcePasswordChange: 'soon' }, 'forcePasswordChange'],
      ['birthdate that is no calendar date', { birthdate: '1990-02-30' }, 'birthdate'],
      ['birthdate with a time', { birthdate: '1990-04-23T10:00:00Z' }, 'birthdate'],
      ['birthdate written another way', { birthdate: '23/04/1990' }, 'birthdate'],
      ['birthdate in the future', { birthdate: '2999-01-01' }, 'birthdate'],
    ])('refuses %s: 400 invalidValue naming it', async (_label, attributes, name) => {
      const error = expectScimError(await t.post('/Users', userBody(unique('bad'), { [ACCOUNT_URN]: attributes })), 400, 'invalidValue');
      expect(error.detail).toContain(name);
    });

    describe('forcePasswordChange and the user\'s own password change', () => {
      const OLD = 'old-pa55word';
      const NEW = 'new-pa55word';
      /** A user who must change their password, and a token bound to them. */
      const forced = async () => {
        const user = await newUser({ forcePasswordChange: true });
        ok(await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'password', value: OLD })));
        const minted = await request(t.app).post(`${ADMIN_USERS}/${user.id}/tokens`).set('Authorization', `Bearer ${t.token}`).send({ name: 'self' });
        expect(minted.status).toBe(201);
        return { user, token: minted.body.token as string };
      };

      it('a password change of their own, with the current password, makes it false', async () => {
        const { user, token } = await forced();
        const res = await request(t.app).post(`${BASE}/Me/password`).set('Authorization', `Bearer ${token}`).send({ currentPassword: OLD, newPassword: NEW });
        expect(res.status).toBe(204);
        expect(account(await read(`/Users/${user.id}`)).forcePasswordChange).toBe(false);
      });

      it('a password an administrator or the IdP sets leaves it true: that is the temporary password it is for', async () => {
        const { user } = await forced();
        ok(await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'password', value: NEW })));
        expect(account(await read(`/Users/${user.id}`)).forcePasswordChange).toBe(true);
      });
    });

    it('refuses a birthdate in the future through PATCH too, and changes nothing', async () => {
      const user = await newUser({ birthdate: '1990-04-23' });
      expectScimError(await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: `${ACCOUNT_URN}:birthdate`, value: '2999-01-01' })), 400, 'invalidValue');
      expect(account(await read(`/Users/${user.id}`)).birthdate).toBe('1990-04-23');
    });
  });

  describe('unknown attribute names', () => {
    it('POST with a misspelt core attribute: 400 invalidSyntax naming it with the one meant, and nothing is created', async () => {
      const userName = unique('typo');
      const error = expectScimError(await t.post('/Users', { schemas: [USER_URN], userName, name: { givenName: 'A', familyName: 'B' }, emial: 'a@example.com' }), 400, 'invalidSyntax');
      expect(error.detail).toContain('"emial" (did you mean "emails"?)');
      expect((await read(`/Users?filter=userName eq "${userName}"`)).totalResults).toBe(0);
    });

    it.each([
      ['force_change_password', true, `${ACCOUNT_URN}:forcePasswordChange`],
      ['expires_at', '2031-01-01T00:00:00Z', `${ACCOUNT_URN}:expiresAt`],
    ])('POST with seed 001\'s %j: 400 naming the attribute to use', async (name, value, meant) => {
      const error = expectScimError(await t.post('/Users', userBody(unique('seed'), { [name]: value })), 400, 'invalidSyntax');
      expect(error.detail).toContain(`(did you mean "${meant}"?)`);
    });

    it('PUT with a misspelt attribute: 400, and the user keeps its addresses', async () => {
      const user = await created('/Users', userBody(unique('put'), { addresses: [{ locality: 'Berlin' }] }));
      expectScimError(await t.put(`/Users/${user.id}`, userBody(user.userName, { adreses: [{ locality: 'Hamburg' }] })), 400, 'invalidSyntax');
      expect((await read(`/Users/${user.id}`)).addresses).toEqual([{ locality: 'Berlin' }]);
    });

    it('PATCH writing a complex value with a misspelt sub-attribute: 400 invalidSyntax', async () => {
      const user = await created('/Users', userBody(unique('patch')));
      const error = expectScimError(await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'name', value: { givnName: 'X' } })), 400, 'invalidSyntax');
      expect(error.detail).toContain('"name.givnName" (did you mean "name.givenName"?)');
    });

    it('a group with a misspelt attribute: 400 invalidSyntax', async () => {
      const error = expectScimError(await t.post('/Groups', { schemas: [GROUP_URN], displayName: unique('g'), descripton: 'x' }), 400, 'invalidSyntax');
      expect(error.detail).toContain(`"descripton" (did you mean "${GROUP_EXTENSION}:description"?)`);
    });

    it('accepts, and ignores, the attributes of an extension Roster does not know (an IdP\'s own)', async () => {
      const urn = 'urn:example:idp:1.0:User';
      const user = await created('/Users', userBody(unique('idp'), { schemas: [USER_URN, urn], [urn]: { costCenter: 'X1' }, [`${urn}:badge`]: 7 }));
      expect(user).not.toHaveProperty(urn);
      expect(JSON.stringify((await t.data.users.get(user.id))!.data)).not.toMatch(/costCenter|badge/);
    });

    it.each([
      ['a path', { op: 'replace', path: 'urn:example:idp:1.0:User:costCenter', value: 'X1' }],
      ['a no-path value key', { op: 'replace', value: { 'urn:example:idp:1.0:User:costCenter': 'X1', nickName: 'Kim' } }],
      ['a no-path value object', { op: 'add', value: { 'urn:example:idp:1.0:User': { costCenter: 'X1' }, nickName: 'Kim' } }],
    ])('PATCH ignores an extension Roster does not know, in %s, and applies the rest', async (_label, operation) => {
      const user = await created('/Users', userBody(unique('idp')));
      const patched = ok(await t.patch(`/Users/${user.id}`, patchBody(operation)));
      expect(JSON.stringify(patched)).not.toContain('X1');
      if (operation.value && typeof operation.value === 'object') expect(patched.nickName).toBe('Kim');
    });

    it('PATCH naming a misspelt attribute: 400 invalidPath with the one meant', async () => {
      const user = await created('/Users', userBody(unique('path')));
      const error = expectScimError(await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'nickname_', value: 'x' })), 400, 'invalidPath');
      expect(error.detail).toContain('(did you mean "nickName"?)');
    });

    it('refuses one Bulk operation with an unknown attribute and runs the others', async () => {
      const res = await t.post('/Bulk', {
        schemas: [BULK_URN],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'bad', data: userBody(unique('bulk'), { emial: 'x' }) },
          { method: 'POST', path: '/Users', bulkId: 'good', data: userBody(unique('bulk')) },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body.Operations.map((o: Body) => [o.bulkId, o.status, o.response?.scimType])).toEqual([['bad', '400', 'invalidSyntax'], ['good', '201', undefined]]);
    });
  });
});
