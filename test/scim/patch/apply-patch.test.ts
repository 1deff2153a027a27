import { ScimError } from '../../../src/scim/errors';
import { applyPatch } from '../../../src/scim/patch/apply-patch';
import { parsePatchRequest, PATCH_OP_URN } from '../../../src/scim/patch/patch-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import type { JsonObject } from '../../../src/scim/values/json';

const registry = loadSchemaRegistry();
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const bjensen = (): JsonObject => ({
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  title: 'Tour Guide',
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  [ENT]: { department: 'Tours', manager: { value: 'm-1' } },
});
const rendered = (data: JsonObject): JsonObject => ({ id: 'u-1', ...data, groups: [] });

function patchUser(...operations: object[]): JsonObject {
  const data = bjensen();
  return applyPatch(registry.user, data, rendered(data), parsePatchRequest({ schemas: [PATCH_OP_URN], Operations: operations })).data;
}

function patchError(...operations: object[]): ScimError {
  try {
    patchUser(...operations);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected the PATCH to be refused');
}

describe('PATCH on a user (RFC 7644 §3.5.2)', () => {
  it.each<[string, object[], (r: JsonObject) => unknown, unknown]>([
    ['replace a simple attribute', [{ op: 'replace', path: 'title', value: 'Boss' }], (r) => r.title, 'Boss'],
    ['add a simple attribute that was absent', [{ op: 'add', path: 'nickName', value: 'Babs' }], (r) => r.nickName, 'Babs'],
    ['remove a simple attribute', [{ op: 'remove', path: 'title' }], (r) => 'title' in r, false],
    ['replace with null removes (RFC 7643 §2.5)', [{ op: 'replace', path: 'title', value: null }], (r) => 'title' in r, false],
    ['replace with "" removes', [{ op: 'replace', path: 'title', value: '' }], (r) => 'title' in r, false],
    ['op names are case-insensitive', [{ op: 'Replace', path: 'title', value: 'X' }], (r) => r.title, 'X'],
    ['attribute names in paths are case-insensitive', [{ op: 'replace', path: 'TITLE', value: 'Y' }], (r) => r.title, 'Y'],
    ['a sub-attribute path sets only that sub-attribute', [{ op: 'replace', path: 'name.givenName', value: 'Babs' }], (r) => r.name, { givenName: 'Babs', familyName: 'Jensen' }],
    ['removing a sub-attribute keeps the others', [{ op: 'remove', path: 'name.givenName' }], (r) => r.name, { familyName: 'Jensen' }],
    ['replace of a complex attribute merges sub-attributes', [{ op: 'replace', path: 'name', value: { middleName: 'J' } }], (r) => r.name, { givenName: 'Barbara', familyName: 'Jensen', middleName: 'J' }],
    ['sub-attribute names in values are canonicalised', [{ op: 'replace', path: 'name', value: { GIVENNAME: 'B' } }], (r) => r.name, { givenName: 'B', familyName: 'Jensen' }],
    ['add to a multi-valued attribute appends', [{ op: 'add', path: 'emails', value: [{ value: 'x@y.z', type: 'other' }] }], (r) => (r.emails as JsonObject[]).map((e) => e.value), ['bjensen@example.com', 'babs@jensen.org', 'x@y.z']],
    ['adding an identical value again changes nothing', [{ op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org', type: 'home' }] }], (r) => (r.emails as JsonObject[]).length, 2],
    ['a newly added primary value takes primary from the others', [{ op: 'add', path: 'emails', value: [{ value: 'n@y.z', primary: true }] }], (r) => (r.emails as JsonObject[]).filter((e) => e.primary === true).map((e) => e.value), ['n@y.z']],
    ['replace of a multi-valued attribute replaces every value', [{ op: 'replace', path: 'emails', value: [{ value: 'only@y.z' }] }], (r) => r.emails, [{ value: 'only@y.z' }]],
    ['a value filter selects elements to change', [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'new@example.com' }], (r) => (r.emails as JsonObject[])[0].value, 'new@example.com'],
    ['value filters compare case-insensitively where the schema says so', [{ op: 'replace', path: 'emails[type eq "WORK"].value', value: 'w@x.y' }], (r) => (r.emails as JsonObject[])[0].value, 'w@x.y'],
    ['add on a value path with no match creates the element', [{ op: 'add', path: 'emails[type eq "other"].value', value: 'o@x.y' }], (r) => (r.emails as JsonObject[])[2], { type: 'other', value: 'o@x.y' }],
    ['replace on a value path with no match creates the element', [{ op: 'replace', path: 'emails[type eq "other"].value', value: 'o@x.y' }], (r) => (r.emails as JsonObject[]).length, 3],
    ['remove with a value filter removes only the matches', [{ op: 'remove', path: 'emails[type eq "home"]' }], (r) => (r.emails as JsonObject[]).map((e) => e.type), ['work']],
    ['remove of a sub-attribute through a value filter', [{ op: 'remove', path: 'emails[type eq "work"].primary' }], (r) => (r.emails as JsonObject[])[0], { value: 'bjensen@example.com', type: 'work' }],
    ['remove with a value filter matching nothing changes nothing', [{ op: 'remove', path: 'emails[type eq "other"]' }], (r) => (r.emails as JsonObject[]).length, 2],
    ['remove of a multi-valued attribute with a value removes just those values', [{ op: 'remove', path: 'emails', value: [{ value: 'babs@jensen.org' }] }], (r) => (r.emails as JsonObject[]).map((e) => e.value), ['bjensen@example.com']],
    ['removing the last value removes the attribute', [{ op: 'remove', path: 'emails[value co "@"]' }], (r) => 'emails' in r, false],
    ['a URN-qualified path reaches the extension', [{ op: 'replace', path: `${ENT}:department`, value: 'Sales' }], (r) => (r[ENT] as JsonObject).department, 'Sales'],
    ['a URN-qualified sub-attribute path', [{ op: 'replace', path: `${ENT}:manager.value`, value: 'm-2' }], (r) => (r[ENT] as JsonObject).manager, { value: 'm-2' }],
    ['removing the last extension attribute removes the extension', [{ op: 'remove', path: `${ENT}:department` }, { op: 'remove', path: `${ENT}:manager` }], (r) => ENT in r, false],
    ['no path: each key of the value is a target', [{ op: 'replace', value: { title: 'T', nickName: 'N' } }], (r) => [r.title, r.nickName], ['T', 'N']],
    ['no path: Okta deactivation', [{ op: 'replace', value: { active: false } }], (r) => r.active, false],
    ['no path: dotted keys (Entra)', [{ op: 'replace', value: { 'name.givenName': 'G' } }], (r) => (r.name as JsonObject).givenName, 'G'],
    ['no path: URN-prefixed keys (Entra)', [{ op: 'replace', value: { [`${ENT}:employeeNumber`]: '42' } }], (r) => (r[ENT] as JsonObject).employeeNumber, '42'],
    ['no path: an extension object', [{ op: 'add', value: { [ENT]: { costCenter: 'C1' } } }], (r) => (r[ENT] as JsonObject).costCenter, 'C1'],
    ['no path: schemas key is ignored', [{ op: 'replace', value: { schemas: ['x'], title: 'S' } }], (r) => [r.title, 'schemas' in r], ['S', false]],
    ['an unchanged read-only value is ignored (Okta sends id back)', [{ op: 'replace', value: { id: 'u-1', title: 'Z' } }], (r) => [r.title, 'id' in r], ['Z', false]],
    ['operations apply in order', [{ op: 'add', path: 'nickName', value: 'A' }, { op: 'remove', path: 'nickName' }, { op: 'add', path: 'nickName', value: 'B' }], (r) => r.nickName, 'B'],
  ])('%s', (_name, operations, read, expected) => {
    expect(read(patchUser(...operations))).toEqual(expected);
  });

  it('leaves the input untouched', () => {
    const data = bjensen();
    applyPatch(registry.user, data, rendered(data), parsePatchRequest({ schemas: [PATCH_OP_URN], Operations: [{ op: 'remove', path: 'emails' }] }));
    expect(data).toEqual(bjensen());
  });

  it.each<[string, object[], string]>([
    ['remove without a path', [{ op: 'remove' }], 'noTarget'],
    ['an unknown op', [{ op: 'move', path: 'title' }], 'invalidSyntax'],
    ['add without a value', [{ op: 'add', path: 'title' }], 'invalidValue'],
    ['no path and a value that is not an object', [{ op: 'replace', value: 'x' }], 'invalidValue'],
    ['bad path syntax', [{ op: 'replace', path: 'emails[type eq', value: 'x' }], 'invalidPath'],
    ['an unknown attribute', [{ op: 'replace', path: 'shoeSize', value: 44 }], 'invalidPath'],
    ['an unknown sub-attribute', [{ op: 'replace', path: 'name.shoeSize', value: 44 }], 'invalidPath'],
    ['an unknown key in a no-path value', [{ op: 'replace', value: { shoeSize: 44 } }], 'invalidPath'],
    ['a filter on a single-valued attribute', [{ op: 'replace', path: 'title[value eq "x"]', value: 'y' }], 'invalidPath'],
    ['a filter naming an unknown sub-attribute', [{ op: 'replace', path: 'emails[shoe eq "x"].value', value: 'y' }], 'invalidPath'],
    ['changing a read-only attribute', [{ op: 'replace', path: 'id', value: 'other' }], 'mutability'],
    ['removing a read-only attribute', [{ op: 'remove', path: 'groups' }], 'mutability'],
    ['replace on a value path that matches nothing and describes nothing', [{ op: 'replace', path: 'emails[type ne "work" and type ne "home"].value', value: 'x' }], 'noTarget'],
  ])('refuses %s', (_name, operations, scimType) => {
    const error = patchError(...operations);
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
  });

  it('refuses a body without the PatchOp schema', () => {
    expect(() => parsePatchRequest({ Operations: [] })).toThrow(expect.objectContaining({ scimType: 'invalidSyntax' }));
  });
});

describe('PATCH on a group: members become set operations, not rewrites', () => {
  const group = { displayName: 'Admins' };
  const edits = (...operations: object[]) =>
    applyPatch(registry.group, group, { id: 'g-1', ...group }, parsePatchRequest({ schemas: [PATCH_OP_URN], Operations: operations })).memberEdits;

  it.each<[string, object[], unknown]>([
    ['add', [{ op: 'add', path: 'members', value: [{ value: 'a' }, { value: 'b', display: 'B', $ref: null }] }], [{ op: 'add', ids: ['a', 'b'] }]],
    ['remove by value filter', [{ op: 'remove', path: 'members[value eq "a"]' }], [{ op: 'remove', ids: ['a'] }]],
    ['remove by value filter with or', [{ op: 'remove', path: 'members[value eq "a" or value eq "b"]' }], [{ op: 'remove', ids: ['a', 'b'] }]],
    ['remove with a value list removes only those (Entra)', [{ op: 'Remove', path: 'members', value: [{ value: 'a' }] }], [{ op: 'remove', ids: ['a'] }]],
    ['remove without a value removes all', [{ op: 'remove', path: 'members' }], [{ op: 'removeAll' }]],
    ['replace', [{ op: 'replace', path: 'members', value: [{ value: 'c' }] }], [{ op: 'removeAll' }, { op: 'add', ids: ['c'] }]],
    ['no-path add', [{ op: 'add', value: { members: [{ value: 'd' }] } }], [{ op: 'add', ids: ['d'] }]],
  ])('%s', (_name, operations, expected) => {
    expect(edits(...operations)).toEqual(expected);
  });

  it('keeps a filter other than value eq for the caller to resolve against the members', () => {
    const [edit] = edits({ op: 'remove', path: 'members[display eq "Bob"]' });
    expect(edit.op).toBe('removeWhere');
  });

  it('renames and changes members in one request (Okta)', () => {
    const outcome = applyPatch(registry.group, group, { id: 'g-1', ...group }, parsePatchRequest({
      schemas: [PATCH_OP_URN],
      Operations: [{ op: 'replace', value: { id: 'g-1', displayName: 'Ops' } }, { op: 'add', path: 'members', value: [{ value: 'a' }] }],
    }));
    expect(outcome.data).toEqual({ displayName: 'Ops' });
    expect(outcome.memberEdits).toEqual([{ op: 'add', ids: ['a'] }]);
  });

  it.each([
    ['a nested group', { op: 'add', path: 'members', value: [{ value: 'g', type: 'Group' }] }, 'invalidValue'],
    ['a member without a value', { op: 'add', path: 'members', value: [{ display: 'x' }] }, 'invalidValue'],
    ['changing a member sub-attribute', { op: 'replace', path: 'members[value eq "a"].display', value: 'x' }, 'mutability'],
  ])('refuses %s', (_name, operation, scimType) => {
    expect(() => edits(operation)).toThrow(expect.objectContaining({ scimType }));
  });
});

describe('PATCH keeps at most one primary value (RFC 7643 §2.4)', () => {
  const primaries = (r: JsonObject) => (r.emails as JsonObject[]).filter((e) => e.primary === true).map((e) => e.type);
  it.each<[string, object]>([
    ['through a value filter and sub-attribute', { op: 'replace', path: 'emails[type eq "home"].primary', value: true }],
    ['through a value filter and a complex value', { op: 'replace', path: 'emails[type eq "home"]', value: { primary: true } }],
    ['by creating a new primary element', { op: 'add', path: 'emails[type eq "other"]', value: { value: 'o@x.y', primary: true } }],
  ])('%s', (_name, operation) => {
    const result = patchUser(operation);
    expect(primaries(result)).toHaveLength(1);
    expect(primaries(result)).not.toEqual(['work']);
  });
});

describe('a PATCH path that is a whole extension URN', () => {
  it.each<[string, object, (r: JsonObject) => unknown, unknown]>([
    ['replace sets the named attributes', { op: 'replace', path: ENT, value: { department: 'Sales' } }, (r) => (r[ENT] as JsonObject).department, 'Sales'],
    ['add sets the named attributes and keeps the others', { op: 'add', path: ENT, value: { costCenter: 'C9' } }, (r) => r[ENT], { department: 'Tours', manager: { value: 'm-1' }, costCenter: 'C9' }],
    ['remove removes the whole extension', { op: 'remove', path: ENT }, (r) => ENT in r, false],
  ])('%s', (_name, operation, read, expected) => {
    expect(read(patchUser(operation))).toEqual(expected);
  });

  it('refuses a value that is not an object', () => {
    expect(() => patchUser({ op: 'replace', path: ENT, value: 'x' })).toThrow(expect.objectContaining({ scimType: 'invalidPath' }));
  });
});

describe('write-only attributes in a PATCH', () => {
  it('pass their value on as sent, even empty, for the password rule to judge', () => {
    expect(patchUser({ op: 'replace', path: 'password', value: '' }).password).toBe('');
  });
  it('cannot be removed', () => {
    expect(() => patchUser({ op: 'remove', path: 'password' })).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
  });
});

describe('multi-valued attributes under a limit', () => {
  const ACCOUNT = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
  const limited = (max: number, ...operations: object[]) => {
    const data = bjensen(); // two emails
    return applyPatch(registry.user, data, rendered(data), parsePatchRequest({ schemas: [PATCH_OP_URN], Operations: operations }), { maxMultiValues: max }).data;
  };
  const emails = (...values: string[]) => values.map((value) => ({ value }));

  it('may reach the limit', () => {
    expect(limited(3, { op: 'add', path: 'emails', value: emails('c@x.y') }).emails).toHaveLength(3);
  });

  it('refuses an operation that takes an attribute past the limit, naming it and the limit', () => {
    expect(() => limited(3, { op: 'add', path: 'emails', value: emails('c@x.y', 'd@x.y') }))
      .toThrow(expect.objectContaining({ status: 400, scimType: 'invalidValue', detail: 'emails has 4 values, more than the 3 this server accepts in one attribute' }));
  });

  it('holds between operations too, so that no later operation scans more than the limit', () => {
    expect(() => limited(3,
      { op: 'add', path: 'emails', value: emails('c@x.y', 'd@x.y') },
      { op: 'remove', path: 'emails[value eq "d@x.y"]' },
    )).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
  });

  it('refuses an operation sending more values than the limit, before comparing them, even if some are already there', () => {
    expect(() => limited(3, { op: 'add', path: 'emails', value: [...emails('a@x.y', 'b@x.y', 'c@x.y'), { value: 'babs@jensen.org', type: 'home' }] }))
      .toThrow(expect.objectContaining({ detail: 'emails has 4 values, more than the 3 this server accepts in one attribute' }));
  });

  it('counts values after de-duplication: adding values already present is no growth', () => {
    expect(limited(2, { op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org', type: 'home' }] }).emails).toHaveLength(2);
  });

  it.each<[string, object]>([
    ['a value created through a filter', { op: 'add', path: 'emails[type eq "other"].value', value: 'o@x.y' }],
    ['a no-path value', { op: 'add', value: { emails: emails('c@x.y') } }],
  ])('applies to %s', (_name, operation) => {
    expect(() => limited(2, operation)).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
  });

  it('names an extension attribute with its URN', () => {
    expect(() => limited(1, { op: 'add', path: `${ACCOUNT}:roles`, value: ['a', 'b'] }))
      .toThrow(expect.objectContaining({ detail: expect.stringMatching(new RegExp(`^${ACCOUNT}:roles has 2 values`)) }));
  });

  it('leaves a group\'s members to the store, however many', () => {
    const members = Array.from({ length: 5 }, (_, i) => ({ value: `m${i}` }));
    const outcome = applyPatch(registry.group, { displayName: 'G' }, { id: 'g-1', displayName: 'G' },
      parsePatchRequest({ schemas: [PATCH_OP_URN], Operations: [{ op: 'add', path: 'members', value: members }] }), { maxMultiValues: 1 });
    expect(outcome.memberEdits).toEqual([{ op: 'add', ids: ['m0', 'm1', 'm2', 'm3', 'm4'] }]);
  });
});
