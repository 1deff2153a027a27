import { refusal } from '../../support/refusal';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { scimmyValidator } from '../../../src/scim/schema/scimmy-validator';
import type { JsonObject } from '../../../src/scim/values/json';

const registry = loadSchemaRegistry();
const users = scimmyValidator(registry.user);
const groups = scimmyValidator(registry.group);
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ADSCIM = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

const user = (extra: JsonObject = {}): JsonObject => ({
  schemas: [USER],
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
  ...extra,
});


describe('scimmyValidator and identity providers\' deviations', () => {
  it.each([['True', true], ['False', false], ['true', true], ['FALSE', false]])('reads active %j as %j', (sent, expected) => {
    expect(users.validate(user({ active: sent })).active).toBe(expected);
  });

  it('reads primary "True" in emails as true', () => {
    expect(users.validate(user({ emails: [{ value: 'a@x.y', type: 'work', primary: 'True' }] })).emails).toEqual([{ value: 'a@x.y', type: 'work', primary: true }]);
  });

  it('still refuses a string that is no boolean, naming the attribute', () => {
    const error = refusal(() => users.validate(user({ active: 'yes' })));
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toContain('active');
  });

  it('keeps "True" as a string where the attribute is a string', () => {
    expect(users.validate(user({ title: 'True', nickName: 'false' }))).toMatchObject({ title: 'True', nickName: 'false' });
  });

  it.each([
    ['inside the extension object', { [ENT]: { manager: 'm-1' } }],
    ['as a URN-qualified key', { [`${ENT}:manager`]: 'm-1' }],
    ['as the object RFC 7643 defines', { [ENT]: { manager: { value: 'm-1' } } }],
  ])('stores a manager sent %s as {value}', (_label, extra) => {
    expect(users.validate(user(extra))[ENT]).toEqual({ manager: { value: 'm-1' } });
  });

  it('drops a manager sent as ""', () => {
    expect(users.validate(user({ [ENT]: { manager: '', department: 'R&D' } }))[ENT]).toEqual({ department: 'R&D' });
  });

  it('accepts unknown schema URNs in schemas and does not keep schemas', () => {
    const data = users.validate(user({ schemas: [USER, ENT, 'urn:example:unknown:1.0'] }));
    expect(data).not.toHaveProperty('schemas');
  });

  it('accepts Entra\'s group schema URN and its meta.resourceType, keeping only the attributes', () => {
    expect(groups.validate({
      schemas: [GROUP, ADSCIM],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    })).toEqual({ externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'displayName' });
  });

});

/** Issue 12 §2: what scimmy used to drop without a word. */
describe('scimmyValidator and names the schemas do not define', () => {
  const ACCOUNT = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
  const GROUP_EXTENSION = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Group';

  it('refuses a misspelt attribute with 400 invalidSyntax before scimmy could drop it', () => {
    expect(refusal(() => users.validate(user({ emial: 'x' })), 400, 'invalidSyntax').detail).toContain('"emial" (did you mean "emails"?)');
  });

  it('still drops the attributes of an extension it does not know', () => {
    expect(users.validate(user({ 'urn:okta:custom:1.0:User': { costCode: 'X1' } }))).not.toHaveProperty(['urn:okta:custom:1.0:User']);
  });

  it('stores an unqualified extension attribute in its extension, coerced by its type', () => {
    expect(users.validate(user({ forcePasswordChange: 'True', expiresAt: '2031-01-01T00:00:00Z' }))[ACCOUNT]).toEqual({ forcePasswordChange: true, expiresAt: '2031-01-01T00:00:00.000Z' });
  });

  it('validates the Group extension: description a string, permissions strings', () => {
    expect(groups.validate({ displayName: 'g', [GROUP_EXTENSION]: { description: 'd', permissions: ['a', 'b'] } }))
      .toEqual({ displayName: 'g', [GROUP_EXTENSION]: { description: 'd', permissions: ['a', 'b'] } });
    expect(refusal(() => groups.validate({ displayName: 'g', [GROUP_EXTENSION]: { description: 42 } }), 400, 'invalidValue').detail).toContain('description');
  });

  it('ignores effectivePermissions sent back: it is read-only', () => {
    expect(users.validate(user({ [ACCOUNT]: { effectivePermissions: ['x'] } }))).not.toHaveProperty([ACCOUNT, 'effectivePermissions']);
  });
});
