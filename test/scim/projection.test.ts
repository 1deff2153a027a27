import { ScimError } from '../../src/scim/errors';
import { parseProjection } from '../../src/scim/projection';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import type { JsonObject } from '../../src/scim/values/json';

const registry = loadSchemaRegistry();
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

const meta = (resourceType: string, id: string): JsonObject => ({
  resourceType,
  created: '2024-01-02T03:04:05Z',
  lastModified: '2024-02-03T04:05:06Z',
  location: `https://example.com/scim/v2/${resourceType}s/${id}`,
  version: 'W/"3"',
});

// A user exactly as the server renders it, plus a `password` that must never leak out.
const user = (): JsonObject => ({
  schemas: [CORE_USER, ENTERPRISE],
  id: 'u1',
  externalId: 'ext-1',
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@example.org', type: 'home' },
  ],
  active: true,
  password: 'hunter2',
  [ENTERPRISE]: { department: 'Tour Operations', employeeNumber: '701984', manager: { value: 'm1', displayName: 'John Smith' } },
  groups: [{ value: 'g1', display: 'Tour Guides', $ref: 'https://example.com/scim/v2/Groups/g1' }],
  meta: meta('User', 'u1'),
});

const group = (): JsonObject => ({
  schemas: [CORE_GROUP],
  id: 'g1',
  displayName: 'Tour Guides',
  members: [{ value: 'u1', display: 'Barbara Jensen', type: 'User' }],
  meta: meta('Group', 'g1'),
});

// Everything but the password: what a request without parameters gets.
const defaultUser = (): JsonObject => {
  const { password: _password, ...rest } = user();
  return rest;
};
const without = (object: JsonObject, ...keys: string[]): JsonObject =>
  Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));

type Params = string | string[] | undefined;
const projectUser = (attributes: Params, excluded: Params) => parseProjection(registry.user, attributes, excluded).apply(user());
const always = { schemas: [CORE_USER, ENTERPRISE], id: 'u1' };

describe('parseProjection: default (no parameters)', () => {
  it('returns every default attribute of a user, without the password', () => {
    expect(projectUser(undefined, undefined)).toStrictEqual(defaultUser());
  });

  it('returns a group unchanged', () => {
    expect(parseProjection(registry.group, undefined, undefined).apply(group())).toStrictEqual(group());
  });

  it.each<[string, Params, Params]>([
    ['empty strings', '', ''],
    ['only commas and spaces', ' , ', ','],
    ['empty arrays', [], []],
  ])('treats %s as not given', (_label, attributes, excluded) => {
    expect(projectUser(attributes, excluded)).toStrictEqual(defaultUser());
  });

  // Rendered resources are built fresh per response, so the output may share unchanged leaves
  // with the input (no deep copy on the hot path); what matters is that the input is not written.
  it.each([
    ['default', undefined, undefined],
    ['attributes', 'name.givenName,emails', undefined],
    ['excludedAttributes', undefined, 'name.familyName'],
  ])('does not mutate its input (%s)', (_label, attributes, excluded) => {
    const input = user();
    parseProjection(registry.user, attributes, excluded).apply(input);
    expect(input).toStrictEqual(user());
  });
});

describe('parseProjection: attributes', () => {
  it.each<[string, Params, JsonObject]>([
    ['a single attribute', 'userName', { ...always, userName: 'bjensen' }],
    ['several attributes, spaces around commas', 'userName , active,externalId', { ...always, externalId: 'ext-1', userName: 'bjensen', active: true }],
    ['a complex attribute whole', 'name', { ...always, name: { givenName: 'Barbara', familyName: 'Jensen' } }],
    ['a sub-attribute', 'name.givenName', { ...always, name: { givenName: 'Barbara' } }],
    ['a sub-attribute of a multi-valued attribute', 'emails.value', { ...always, emails: [{ value: 'bjensen@example.com' }, { value: 'babs@example.org' }] }],
    ['a sub-attribute of meta', 'meta.created', { ...always, meta: { created: '2024-01-02T03:04:05Z' } }],
    ['meta whole', 'meta', { ...always, meta: meta('User', 'u1') }],
    ['a URN-qualified core sub-attribute', `${CORE_USER}:name.givenName`, { ...always, name: { givenName: 'Barbara' } }],
    ['a URN-qualified extension attribute', `${ENTERPRISE}:department`, { ...always, [ENTERPRISE]: { department: 'Tour Operations' } }],
    ['a URN-qualified extension sub-attribute', `${ENTERPRISE}:manager.value`, { ...always, [ENTERPRISE]: { manager: { value: 'm1' } } }],
    ['an unqualified extension attribute', 'employeeNumber', { ...always, [ENTERPRISE]: { employeeNumber: '701984' } }],
    ['a whole extension', ENTERPRISE, { ...always, [ENTERPRISE]: user()[ENTERPRISE] }],
    ['a whole extension, other case', ENTERPRISE.toUpperCase(), { ...always, [ENTERPRISE]: user()[ENTERPRISE] }],
    ['names in any case', 'USERNAME,Name.GIVENNAME,emails.VALUE', {
      ...always, userName: 'bjensen', name: { givenName: 'Barbara' }, emails: [{ value: 'bjensen@example.com' }, { value: 'babs@example.org' }],
    }],
    ['only returned:always attributes when asked for them', 'id,schemas', always],
    ['an array (POST /.search)', ['userName', ' groups.display '], { ...always, userName: 'bjensen', groups: [{ display: 'Tour Guides' }] }],
    ['an array whose entries hold commas', ['userName,active'], { ...always, userName: 'bjensen', active: true }],
    ['unknown names, ignored', 'members,nosuch,foo.bar,userName', { ...always, userName: 'bjensen' }],
    ['a name of another resource type, ignored', `${CORE_GROUP}:displayName,userName`, { ...always, userName: 'bjensen' }],
    ['the password, never shown', 'password,userName', { ...always, userName: 'bjensen' }],
    ['a sub-attribute no value has: no empty object', 'name.middleName,userName', { ...always, userName: 'bjensen' }],
    ['an extension attribute no value has: no empty extension', `${ENTERPRISE}:costCenter`, always],
  ])('%s: %p', (_label, attributes, expected) => {
    expect(projectUser(attributes, undefined)).toStrictEqual(expected);
  });

  it('projects a group, keeping only named member sub-attributes', () => {
    const projection = parseProjection(registry.group, 'members.value', undefined);
    expect(projection.apply(group())).toStrictEqual({ schemas: [CORE_GROUP], id: 'g1', members: [{ value: 'u1' }] });
  });

  it('drops keys no schema defines', () => {
    const input = { ...user(), 'x-internal': 1 };
    expect(parseProjection(registry.user, 'userName', undefined).apply(input)).toStrictEqual({ ...always, userName: 'bjensen' });
  });
});

describe('parseProjection: excludedAttributes', () => {
  it.each<[string, Params, JsonObject]>([
    ['a single attribute', 'emails', without(defaultUser(), 'emails')],
    ['several attributes', 'emails, groups ,meta', without(defaultUser(), 'emails', 'groups', 'meta')],
    ['a sub-attribute', 'name.familyName', { ...defaultUser(), name: { givenName: 'Barbara' } }],
    ['a sub-attribute of every element', 'emails.type', {
      ...defaultUser(), emails: [{ value: 'bjensen@example.com', primary: true }, { value: 'babs@example.org' }],
    }],
    ['an extension attribute', `${ENTERPRISE}:manager`, {
      ...defaultUser(), [ENTERPRISE]: { department: 'Tour Operations', employeeNumber: '701984' },
    }],
    ['an unqualified extension sub-attribute', 'manager.displayName', {
      ...defaultUser(), [ENTERPRISE]: { department: 'Tour Operations', employeeNumber: '701984', manager: { value: 'm1' } },
    }],
    ['every extension attribute: the extension disappears', `${ENTERPRISE}:manager,department,employeeNumber`, without(defaultUser(), ENTERPRISE)],
    ['a whole extension', ENTERPRISE, without(defaultUser(), ENTERPRISE)],
    ['id and schemas, which stay', 'id,schemas,SCHEMAS', defaultUser()],
    ['names in any case', 'EMAILS,Meta.Version', { ...without(defaultUser(), 'emails'), meta: without(meta('User', 'u1'), 'version') }],
    ['unknown names, ignored', 'members,nosuch,name.nosuch', defaultUser()],
    ['an array (POST /.search)', ['emails', 'groups'], without(defaultUser(), 'emails', 'groups')],
  ])('%s: %p', (_label, excluded, expected) => {
    expect(projectUser(undefined, excluded)).toStrictEqual(expected);
  });

  it('excludes members from a group', () => {
    expect(parseProjection(registry.group, undefined, 'members').apply(group())).toStrictEqual(without(group(), 'members'));
  });

  it('keeps keys no schema defines', () => {
    const input = { ...user(), 'x-internal': 1 };
    expect(parseProjection(registry.user, undefined, 'emails').apply(input)).toStrictEqual({ ...without(defaultUser(), 'emails'), 'x-internal': 1 });
  });
});

describe('parseProjection: both parameters', () => {
  it.each<[Params, Params]>([
    ['userName', 'userName'],
    ['userName', 'id,emails'],
    [['userName'], ['userName']],
  ])('attributes=%p wins over excludedAttributes=%p', (attributes, excluded) => {
    expect(projectUser(attributes, excluded)).toStrictEqual({ ...always, userName: 'bjensen' });
  });

  it('does not even parse the ignored excludedAttributes', () => {
    expect(projectUser('userName', 'not a path')).toStrictEqual({ ...always, userName: 'bjensen' });
  });
});

describe('parseProjection: names that are not paths', () => {
  it.each<[string, Params, Params, RegExp]>([
    ['attributes', 'userName,emails[type eq "work"]', undefined, /attributes parameter names "emails\[type eq "work"\]"/],
    ['attributes', 'name.givenName.first', undefined, /attributes parameter names "name\.givenName\.first"/],
    ['attributes', ['user name'], undefined, /attributes parameter names "user name"/],
    ['excludedAttributes', undefined, 'emails,9lives', /excludedAttributes parameter names "9lives"/],
    ['excludedAttributes', undefined, 'bad:schema:userName', /excludedAttributes parameter names "bad:schema:userName"/],
  ])('rejects a bad name in %s: %p %p', (_parameter, attributes, excluded, message) => {
    const attempt = () => parseProjection(registry.user, attributes, excluded);
    expect(attempt).toThrow(ScimError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
    }
  });
});

describe('parseProjection: password (returned: never)', () => {
  it.each<[Params, Params]>([
    [undefined, undefined],
    ['password', undefined],
    [`${CORE_USER}:password`, undefined],
    [undefined, 'userName'],
    ['PASSWORD,userName', 'password'],
  ])('never returns it: attributes=%p excludedAttributes=%p', (attributes, excluded) => {
    expect(projectUser(attributes, excluded)).not.toHaveProperty('password');
  });
});

describe('Projection.includes', () => {
  it.each<[string, Params, Params, string, boolean]>([
    ['default', undefined, undefined, 'members', true],
    ['attributes', 'displayName', undefined, 'members', false],
    ['attributes', 'members', undefined, 'members', true],
    ['attributes', 'MEMBERS.value', undefined, 'members', true],
    ['attributes', 'displayName', undefined, 'id', true],
    ['excludedAttributes', undefined, 'members', 'members', false],
    ['excludedAttributes', undefined, 'members.display', 'members', true],
    ['excludedAttributes', undefined, 'displayName', 'members', true],
    ['excludedAttributes', undefined, 'id', 'id', true],
    ['both', 'members', 'members', 'members', true],
  ])('Group, %s (attributes=%p, excludedAttributes=%p): includes(%p) is %p', (_mode, attributes, excluded, name, expected) => {
    expect(parseProjection(registry.group, attributes, excluded).includes(name)).toBe(expected);
  });

  it.each<[Params, Params, string, boolean]>([
    [undefined, undefined, 'groups', true],
    ['userName', undefined, 'groups', false],
    ['groups.display', undefined, 'groups', true],
    [undefined, 'groups', 'groups', false],
    [undefined, 'GROUPS', 'groups', false],
    [undefined, 'members', 'groups', true],
    [undefined, undefined, 'password', false],
    ['password', undefined, 'password', false],
    [undefined, 'userName', 'password', false],
  ])('User: attributes=%p excludedAttributes=%p: includes(%p) is %p', (attributes, excluded, name, expected) => {
    expect(parseProjection(registry.user, attributes, excluded).includes(name)).toBe(expected);
  });
});
