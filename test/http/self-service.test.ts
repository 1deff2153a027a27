import request from 'supertest';
import { verifyPassword } from '../../src/domain/passwords';
import {
  ACCOUNT_URN, ADMIN_USERS, BASE, ENTERPRISE_URN, LOCALIZATION_URN, expectScimError, patchBody, startTestApp, userBody, type TestApp,
} from '../support/test-app';

const BULK_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const OLD_PASSWORD = 'the-old-secret';
const NEW_PASSWORD = 'a-brand-new-secret';

type User = Record<string, any> & { id: string; userName: string; meta: { version: string } };

/**
 * Self-service (issue 8 §3): a user acting on themselves through /Me, /Users/{own id} or /Bulk.
 * Without write access (anyone but an Active SuperAdmin) they change only their profile; a new
 * password needs the current one, writer or not; writers acting on others need none.
 */
describe('self-service', () => {
  let t: TestApp;
  let seq = 0;
  const uniqueName = (stem = 'self') => `${stem}.${++seq}`;

  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  const as = (token: string) => {
    const send = (test: request.Test, body?: object) => {
      const authed = test.set('Authorization', `Bearer ${token}`);
      return body === undefined ? authed : authed.set('Content-Type', 'application/scim+json').send(JSON.stringify(body));
    };
    return {
      get: (path: string) => send(request(t.app).get(BASE + path)),
      post: (path: string, body: object) => send(request(t.app).post(BASE + path), body),
      put: (path: string, body: object) => send(request(t.app).put(BASE + path), body),
      patch: (path: string, body: object) => send(request(t.app).patch(BASE + path), body),
    };
  };
  type Client = ReturnType<typeof as>;

  /** A user (with a password unless told otherwise) and a client holding a token bound to them. */
  const signedIn = async (accountType = 'Internal', extra: object = { password: OLD_PASSWORD }) => {
    const created = await t.post('/Users', userBody(uniqueName(accountType.toLowerCase()), { externalId: `ext-${seq}`, ...extra, [ACCOUNT_URN]: { accountType } }));
    expect(created.status).toBe(201);
    const minted = await request(t.app).post(`${ADMIN_USERS}/${created.body.id}/tokens`).set('Authorization', `Bearer ${t.token}`).send({ name: 'self' });
    expect(minted.status).toBe(201);
    return { user: created.body as User, client: as(minted.body.token as string) };
  };
  const current = async (id: string) => (await t.get(`/Users/${id}`)).body as User;
  const passwordIs = async (id: string, password: string) => verifyPassword(password, (await t.data.users.get(id))!.passwordHash!);

  /** Sends one /Bulk operation and returns its result. */
  const bulkOne = async (client: Client, operation: object) => {
    const res = await client.post('/Bulk', { schemas: [BULK_REQUEST_URN], Operations: [operation] });
    expect(res.status).toBe(200);
    return res.body.Operations[0] as { status: string; response?: { detail: string } };
  };

  describe('scope: a user without write access changes only their own profile', () => {
    it.each([
      ['name', { name: { givenName: 'New', familyName: 'Name' } }],
      ['displayName', { displayName: 'Me Myself' }],
      ['nickName', { nickName: 'Nick' }],
      ['title', { title: 'Engineer' }],
      ['phoneNumbers', { phoneNumbers: [{ value: '+1 555 0100', type: 'work' }] }],
      ['addresses', { addresses: [{ locality: 'Berlin', type: 'work' }] }],
      ['photos', { photos: [{ value: 'https://example.com/me.png', type: 'photo' }] }],
      ['locale', { locale: 'de-DE' }],
      ['preferredLanguage', { preferredLanguage: 'de' }],
      ['timezone', { timezone: 'Europe/Berlin' }],
      ['profileUrl', { profileUrl: 'https://example.com/me' }],
      ['the Localization extension', { [LOCALIZATION_URN]: { dateTimeFormat: 'd/m/Y' } }],
    ])('lets them change %s (PATCH /Me)', async (_label, value) => {
      const { user, client } = await signedIn();
      const res = await client.patch('/Me', patchBody({ op: 'replace', value }));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject(value);
      expect((await current(user.id)).meta.version).not.toBe(user.meta.version);
    });

    it.each([
      ['userName', () => ({ userName: uniqueName('renamed') }), /userName/],
      ['externalId', () => ({ externalId: 'forged-idp-key' }), /externalId/],
      ['emails', () => ({ emails: [{ value: 'me@elsewhere.example', type: 'work', primary: true }] }), /emails/],
      ['userType', () => ({ userType: 'Contractor' }), /userType/],
      ['core roles', () => ({ roles: [{ value: 'admin' }] }), /roles/],
      ['entitlements', () => ({ entitlements: [{ value: 'all' }] }), /entitlements/],
      ['ims', () => ({ ims: [{ value: 'me', type: 'xmpp' }] }), /ims/],
      ['the Enterprise extension', () => ({ [ENTERPRISE_URN]: { department: 'Finance' } }), new RegExp(`${ENTERPRISE_URN}:department`)],
      // The Account extension is their access: refused by "nobody changes their own access".
      ['the Account extension (accountType)', () => ({ [ACCOUNT_URN]: { accountType: 'External' } }), /your own account type/],
      ['the Account extension (status)', () => ({ [ACCOUNT_URN]: { status: 'Inactive' } }), /deactivate your own account/],
    ])('refuses them %s: 403 naming it, nothing written', async (_label, value, named) => {
      const { user, client } = await signedIn();
      const error = expectScimError(await client.patch('/Me', patchBody({ op: 'replace', value: value() })), 403);
      expect(error.detail).toMatch(named);
      expect((await current(user.id)).meta.version).toBe(user.meta.version);
    });

    it.each([
      ['PATCH /Me', (c: Client, u: User) => c.patch('/Me', patchBody({ op: 'replace', path: 'userName', value: `${u.userName}.x` }))],
      ['PATCH /Users/{own id}', (c: Client, u: User) => c.patch(`/Users/${u.id}`, patchBody({ op: 'replace', path: 'userName', value: `${u.userName}.x` }))],
      ['PUT /Me', (c: Client, u: User) => c.put('/Me', { ...u, userName: `${u.userName}.x` })],
      ['PUT /Users/{own id}', (c: Client, u: User) => c.put(`/Users/${u.id}`, { ...u, userName: `${u.userName}.x` })],
    ])('refuses a userName change through %s', async (_label, send) => {
      const { user, client } = await signedIn();
      expect(expectScimError(await send(client, user), 403).detail).toMatch(/userName/);
      expect((await current(user.id)).userName).toBe(user.userName);
    });

    it.each([
      ['PATCH', (u: User) => ({ method: 'PATCH', path: `/Users/${u.id}`, data: patchBody({ op: 'replace', path: 'externalId', value: 'forged' }) })],
      ['PUT', (u: User) => ({ method: 'PUT', path: `/Users/${u.id}`, data: { ...u, externalId: 'forged' } })],
    ])('refuses an externalId change through /Bulk (%s): that operation is a 403', async (_label, operation) => {
      const { user, client } = await signedIn();
      const result = await bulkOne(client, operation(user));
      expect(result.status).toBe('403');
      expect(result.response?.detail).toMatch(/externalId/);
      expect((await current(user.id)).externalId).toBe(user.externalId);
    });

    it('refuses taking another user\'s email address, which stays theirs alone', async () => {
      const { user: victim } = await signedIn();
      const { user, client } = await signedIn();
      const stolen = { emails: [{ value: victim.emails[0].value, type: 'work', primary: true }] };
      expect(expectScimError(await client.patch('/Me', patchBody({ op: 'add', path: 'emails', value: stolen.emails })), 403).detail).toMatch(/emails/);
      expect(expectScimError(await client.put('/Me', { ...user, ...stolen }), 403).detail).toMatch(/emails/);
      const holders = await t.get(`/Users?filter=${encodeURIComponent(`emails.value eq "${victim.emails[0].value}"`)}`);
      expect(holders.body.Resources.map((r: User) => r.id)).toEqual([victim.id]);
    });

    it('accepts a PUT that restates every current value (clients echo the whole resource) and changes the profile', async () => {
      const { user, client } = await signedIn();
      const res = await client.put('/Me', { ...user, nickName: 'Echo', [ENTERPRISE_URN]: undefined });
      expect(res.status).toBe(200);
      expect(res.body.nickName).toBe('Echo');
      expect(res.body.externalId).toBe(user.externalId);
    });

    it('refuses a PUT that leaves out a non-profile attribute it has (which would remove it)', async () => {
      const { user, client } = await signedIn();
      const { externalId: _dropped, ...withoutExternalId } = user;
      expect(expectScimError(await client.put('/Me', withoutExternalId), 403).detail).toMatch(/externalId/);
      expect((await current(user.id)).externalId).toBe(user.externalId);
    });

    it('lets an Active SuperAdmin (a writer) change its own userName, externalId and emails, but not its own access', async () => {
      const { user, client } = await signedIn('SuperAdmin');
      const res = await client.patch('/Me', patchBody({ op: 'replace', value: { userName: `${user.userName}.renamed`, externalId: 'new-key', emails: [{ value: 'boss@example.com', primary: true }] } }));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ userName: `${user.userName}.renamed`, externalId: 'new-key' });
      expectScimError(await client.patch('/Me', patchBody({ op: 'replace', path: 'active', value: false })), 403);
    });
  });

  describe('a self-service password change needs the current password', () => {
    it.each([
      ['beside password in a no-path PATCH value', patchBody({ op: 'replace', value: { password: NEW_PASSWORD, currentPassword: OLD_PASSWORD } })],
      ['as an operation of its own', patchBody({ op: 'replace', path: 'password', value: NEW_PASSWORD }, { op: 'replace', path: 'currentPassword', value: OLD_PASSWORD })],
    ])('accepts currentPassword %s', async (_label, body) => {
      const { user, client } = await signedIn();
      const res = await client.patch('/Me', body);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toMatch(/secret/);
      expect(await passwordIs(user.id, NEW_PASSWORD)).toBe(true);
    });

    it('accepts currentPassword beside password in a PUT body', async () => {
      const { user, client } = await signedIn();
      expect((await client.put(`/Users/${user.id}`, { ...user, password: NEW_PASSWORD, currentPassword: OLD_PASSWORD })).status).toBe(200);
      expect(await passwordIs(user.id, NEW_PASSWORD)).toBe(true);
    });

    it.each([
      ['PATCH /Me', (c: Client) => c.patch('/Me', patchBody({ op: 'replace', path: 'password', value: NEW_PASSWORD }))],
      ['PUT /Me', (c: Client, u: User) => c.put('/Me', { ...u, password: NEW_PASSWORD })],
      ['PATCH /Users/{own id}', (c: Client, u: User) => c.patch(`/Users/${u.id}`, patchBody({ op: 'replace', value: { password: NEW_PASSWORD } }))],
    ])('refuses a change without it through %s: 400 saying how, password unchanged', async (_label, send) => {
      const { user, client } = await signedIn();
      const error = expectScimError(await send(client, user), 400, 'invalidValue');
      expect(error.detail).toMatch(/currentPassword/);
      expect(error.detail).toMatch(/POST \/Me\/password/);
      expect(await passwordIs(user.id, OLD_PASSWORD)).toBe(true);
    });

    it('refuses a wrong current password: 403 that never echoes it, password unchanged', async () => {
      const { user, client } = await signedIn();
      const res = await client.patch('/Me', patchBody({ op: 'replace', value: { password: NEW_PASSWORD, currentPassword: 'not-my-password' } }));
      expect(expectScimError(res, 403).detail).toMatch(/current password is not correct/);
      expect(res.text).not.toContain('not-my-password');
      expect(res.text).not.toContain(NEW_PASSWORD);
      expect(await passwordIs(user.id, OLD_PASSWORD)).toBe(true);
    });

    it('refuses a currentPassword that is not a string: 400', async () => {
      const { client } = await signedIn();
      expectScimError(await client.patch('/Me', patchBody({ op: 'replace', value: { password: NEW_PASSWORD, currentPassword: 12345678 } })), 400, 'invalidValue');
    });

    it('refuses a user who has no password yet (an administrator sets the first): 403', async () => {
      const { user, client } = await signedIn('Internal', {});
      const res = await client.patch('/Me', patchBody({ op: 'replace', value: { password: NEW_PASSWORD, currentPassword: 'anything-at-all' } }));
      expect(expectScimError(res, 403).detail).toMatch(/no password yet/);
      expect((await t.data.users.get(user.id))!.passwordHash).toBeUndefined();
    });

    it('asks an Active SuperAdmin for it too when it changes its own password', async () => {
      const { user, client } = await signedIn('SuperAdmin');
      expectScimError(await client.patch('/Me', patchBody({ op: 'replace', path: 'password', value: NEW_PASSWORD })), 400);
      expect((await client.patch('/Me', patchBody({ op: 'replace', value: { password: NEW_PASSWORD, currentPassword: OLD_PASSWORD } }))).status).toBe(200);
      expect(await passwordIs(user.id, NEW_PASSWORD)).toBe(true);
    });

    it('does not ask writers acting on another user: a SuperAdmin and a service token', async () => {
      const { client: admin } = await signedIn('SuperAdmin');
      const { user } = await signedIn();
      expect((await admin.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'password', value: NEW_PASSWORD }))).status).toBe(200);
      expect(await passwordIs(user.id, NEW_PASSWORD)).toBe(true);
      expect((await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'password', value: 'set-by-the-idp' }))).status).toBe(200);
      expect(await passwordIs(user.id, 'set-by-the-idp')).toBe(true);
    });

    it('holds in /Bulk: without the current password that operation is a 400', async () => {
      const { user, client } = await signedIn();
      const result = await bulkOne(client, { method: 'PATCH', path: `/Users/${user.id}`, data: patchBody({ op: 'replace', path: 'password', value: NEW_PASSWORD }) });
      expect(result.status).toBe('400');
      expect(await passwordIs(user.id, OLD_PASSWORD)).toBe(true);
    });
  });

  describe('POST /Me/password {currentPassword, newPassword}', () => {
    it('changes the password: 204', async () => {
      const { user, client } = await signedIn();
      const res = await client.post('/Me/password', { currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD });
      expect(res.status).toBe(204);
      expect(await passwordIs(user.id, NEW_PASSWORD)).toBe(true);
    });

    it.each([
      ['a wrong current password', { currentPassword: 'wrong-password', newPassword: NEW_PASSWORD }, 403],
      ['no current password', { newPassword: NEW_PASSWORD }, 400],
      ['no new password', { currentPassword: OLD_PASSWORD }, 400],
      ['a new password that is too short', { currentPassword: OLD_PASSWORD, newPassword: 'short' }, 400],
      // The same limits as every other write: this route is a PATCH of password in another form.
      ['a new password over MAX_STRING_LENGTH', { currentPassword: OLD_PASSWORD, newPassword: 'p'.repeat(2049) }, 400],
    ])('refuses %s, password unchanged', async (_label, body, status) => {
      const { user, client } = await signedIn();
      expectScimError(await client.post('/Me/password', body), status);
      expect(await passwordIs(user.id, OLD_PASSWORD)).toBe(true);
    });

    it('answers a service token 404 and other methods 405', async () => {
      expectScimError(await t.post('/Me/password', { currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD }), 404);
      const { client } = await signedIn();
      expectScimError(await client.get('/Me/password'), 405);
    });
  });
});
