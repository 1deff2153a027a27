import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { closestAttribute } from '../../../src/scim/schema/name-candidates';
import { isForeignSchemaName, ROSTER_NAMESPACE, withKnownAttributes } from '../../../src/scim/schema/unknown-attributes';
import type { JsonObject } from '../../../src/scim/values/json';
import { refusal } from '../../support/refusal';

const registry = loadSchemaRegistry();
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ACCOUNT = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
const GROUP_EXTENSION = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Group';

const user = (body: object) => withKnownAttributes(registry.user, body as JsonObject);
const group = (body: object) => withKnownAttributes(registry.group, body as JsonObject);
const refusedUser = (body: object) => refusal(() => user(body), 400, 'invalidSyntax').detail;

/** Issue 12 §2: names the schemas do not define are refused, not dropped; an IdP's own extension is ignored. */
describe('withKnownAttributes', () => {
  describe('accepts, unchanged', () => {
    it.each([
      ['core attributes, sub-attributes in any case', { userName: 'a', emails: [{ Value: 'a@example.com', TYPE: 'work' }] }],
      ['the enterprise and Account extension objects', { [ENTERPRISE]: { department: 'R&D', manager: { value: 'm' } }, [ACCOUNT]: { accountType: 'Internal', expiresAt: '2030-01-01T00:00:00Z' } }],
      ['read-only attributes, whatever they hold', { id: 'x', meta: { resourceType: 'User', anything: 1 }, groups: [{ value: 'g', whatever: true }] }],
      ['schemas, with URNs the server does not know', { schemas: [USER, 'urn:example:unknown:1.0'] }],
      ['null values of defined attributes', { nickName: null, name: { middleName: null } }],
    ])('%s', (_label, body) => {
      expect(user(body)).toEqual(body);
    });

    it.each([
      ['an IdP\'s own extension object', { 'urn:okta:custom:1.0:User': { costCode: 'X1' } }],
      ['an attribute qualified by an unknown extension URN', { 'urn:example:ext:2.0:User:shoeSize': 44 }],
      ['Entra\'s ADSCIM URN on a group', { 'urn:ietf:params:scim:schemas:extension:Adscim:2.0:Group': { anything: 1 } }],
      ['an http schema URI, as Entra names its ADSCIM group schema', { 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group': { anything: 1 } }],
    ])('%s (kept for scimmy, which ignores it)', (_label, body) => {
      expect(user(body)).toEqual(body);
    });

    it('a group\'s members whatever their fields (the group endpoint reads them itself)', () => {
      const body = { displayName: 'g', members: [{ value: 'u', displayName: 'new User' }] };
      expect(group(body)).toEqual(body);
    });
  });

  describe('rewrites to the form scimmy reads, rather than dropping', () => {
    it.each([
      ['an unqualified Account attribute', { accountType: 'ConfigAdmin' }, { [ACCOUNT]: { accountType: 'ConfigAdmin' } }],
      ['an unqualified Account attribute beside the Account object', { forcePasswordChange: true, [ACCOUNT]: { status: 'Active' } }, { [ACCOUNT]: { status: 'Active', forcePasswordChange: true } }],
      ['an Account attribute qualified by its URN', { [`${ACCOUNT}:expiresAt`]: '2030-01-01T00:00:00Z' }, { [ACCOUNT]: { expiresAt: '2030-01-01T00:00:00Z' } }],
      ['a core attribute qualified by the core URN', { [`${USER}:displayName`]: 'D' }, { displayName: 'D' }],
      ['core attributes inside a core URN object', { [USER]: { displayName: 'D', nickName: 'N' } }, { displayName: 'D', nickName: 'N' }],
      ['the same attribute twice with the same value', { displayName: 'D', [`${USER}:displayName`]: 'D' }, { displayName: 'D' }],
    ])('%s', (_label, body, expected) => {
      expect(user(body)).toEqual(expected);
    });

    it('a core attribute in another case, under its canonical name', () => {
      expect(user({ DisplayName: 'A', USERNAME: 'a' })).toEqual({ displayName: 'A', userName: 'a' });
    });

    it('a group description and permissions without the Group extension URN', () => {
      expect(group({ displayName: 'g', description: 'Sales', permissions: ['reports.view'] }))
        .toEqual({ displayName: 'g', [GROUP_EXTENSION]: { description: 'Sales', permissions: ['reports.view'] } });
    });
  });

  describe('refuses with 400 invalidSyntax, naming each unknown name and a close one', () => {
    it.each([
      [{ emial: 'a@example.com' }, '"emial" (did you mean "emails"?)'],
      [{ favouriteColour: 'teal' }, '"favouriteColour"'],
      [{ force_change_password: true }, `"force_change_password" (did you mean "${ACCOUNT}:forcePasswordChange"?)`],
      [{ expires_at: '2030-01-01T00:00:00Z' }, `"expires_at" (did you mean "${ACCOUNT}:expiresAt"?)`],
      [{ givenname: 'A' }, '"givenname" (did you mean "name.givenName"?)'],
      [{ name: { givnName: 'A' } }, '"name.givnName" (did you mean "name.givenName"?)'],
      [{ emails: [{ value: 'a@example.com', tpye: 'work' }] }, '"emails.tpye" (did you mean "emails.type"?)'],
      [{ [ACCOUNT]: { expires: '2030-01-01T00:00:00Z' } }, `"${ACCOUNT}:expires" (did you mean "${ACCOUNT}:expiresAt"?)`],
      [{ [`${ACCOUNT}:birthDay`]: '1990-01-01' }, `"${ACCOUNT}:birthDay" (did you mean "${ACCOUNT}:birthdate"?)`],
      [{ [`${USER}:emial`]: 'x' }, `"${USER}:emial" (did you mean "emails"?)`],
      [{ [`${ROSTER_NAMESPACE}2.0:Acount`]: { status: 'Active' } }, `"${ROSTER_NAMESPACE}2.0:Acount" (did you mean "${ACCOUNT}"?)`],
      [{ [GROUP_EXTENSION]: { description: 'x' } }, `"${GROUP_EXTENSION}"`],
      [{ [ENTERPRISE]: { manager: { value: 'm', displyName: 'M' } } }, `"${ENTERPRISE}:manager.displyName" (did you mean "${ENTERPRISE}:manager.displayName"?)`],
    ])('%j', (body, named) => {
      const detail = refusedUser(body);
      expect(detail).toContain(named);
      expect(detail).toMatch(/^Unknown attributes? of User resources: /);
    });

    it('lists five unknown names and counts the rest', () => {
      const detail = refusedUser(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`unknown${i}`, i])));
      expect(detail).toContain('"unknown4"');
      expect(detail).not.toContain('"unknown5"');
      expect(detail).toContain('and 3 more');
    });

    it('quotes at most 120 characters of a name, and looks for no close name for a huge one', () => {
      const detail = refusedUser({ ['e'.repeat(100_000)]: 1 });
      expect(detail).toContain(`"${'e'.repeat(120)}…"`);
      expect(detail.length).toBeLessThan(400);
    });

    it('a dotted name, which is a PATCH path, with the body form to use', () => {
      expect(refusedUser({ 'name.givenName': 'A' })).toBe('Name "name.givenName" is a path, not an attribute name: in a POST or PUT body write {"name": {"givenName": …}}');
    });

    it('the same attribute sent twice with different values', () => {
      expect(refusedUser({ accountType: 'Internal', [ACCOUNT]: { accountType: 'External' } })).toMatch(/is given twice in this request, with different values/);
    });

    it('a User attribute on a group', () => {
      expect(refusal(() => group({ displayName: 'g', userName: 'u' }), 400, 'invalidSyntax').detail).toContain('Unknown attribute of Group resources: "userName"');
    });
  });

  it('checks a body of 100,000 emails in one pass, well under a second', () => {
    const emails = Array.from({ length: 100_000 }, (_, i) => ({ value: `u${i}@example.com`, type: 'work' }));
    const started = performance.now();
    expect(user({ emails })).toEqual({ emails });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

/** For PATCH paths (patch-target): which names are an IdP's own, and the name meant. */
describe('isForeignSchemaName', () => {
  it.each([
    ['urn:okta:custom:1.0:User:costCode', true],
    ['urn:okta:custom:1.0:User', true],
    ['http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group', true],
    ['displayName', false],
    [`${USER}:displayName`, false],
    [`${ENTERPRISE}:manager`, false],
    [`${ACCOUNT}:expires`, false],
    [`${ROSTER_NAMESPACE}2.0:Acount:status`, false],
  ])('%s: %s', (name, foreign) => {
    expect(isForeignSchemaName(registry.user, name)).toBe(foreign);
  });
});

describe('closestAttribute', () => {
  it.each([
    ['emial', 'emails'],
    ['force_change_password', `${ACCOUNT}:forcePasswordChange`],
    [`${ACCOUNT}:expires_at`, `${ACCOUNT}:expiresAt`],
    ['shoeSize', undefined],
  ])('%s → %s', (name, meant) => {
    expect(closestAttribute(registry.user, name)).toBe(meant);
  });
});
