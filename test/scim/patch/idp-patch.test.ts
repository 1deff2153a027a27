import { ScimError } from '../../../src/scim/errors';
import { applyPatch } from '../../../src/scim/patch/apply-patch';
import { parsePatchRequest, PATCH_OP_URN } from '../../../src/scim/patch/patch-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import type { JsonObject } from '../../../src/scim/values/json';

/** PATCH as identity providers send it: string booleans and the bare-string manager (Entra). */

const registry = loadSchemaRegistry();
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const MANAGER = `${ENT}:manager`;

const user = (extension: JsonObject | null = { department: 'Tours', manager: { value: 'm-1', $ref: 'https://x/Users/m-1' } }): JsonObject => ({
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  title: 'Guide',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  ...(extension ? { [ENT]: extension } : {}),
});

function patch(data: JsonObject, ...operations: object[]): JsonObject {
  return applyPatch(registry.user, data, { id: 'u-1', ...data, groups: [] }, parsePatchRequest({ schemas: [PATCH_OP_URN], Operations: operations })).data;
}

function refusal(data: JsonObject, ...operations: object[]): ScimError {
  try {
    patch(data, ...operations);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected the PATCH to be refused');
}

const ext = (r: JsonObject) => r[ENT] as JsonObject | undefined;
const emails = (r: JsonObject) => r.emails as JsonObject[];

describe('booleans as strings in PATCH', () => {
  it.each<[string, object, (r: JsonObject) => unknown, unknown]>([
    ['path active, "False" (Entra)', { op: 'Replace', path: 'active', value: 'False' }, (r) => r.active, false],
    ['path active, "True"', { op: 'Replace', path: 'active', value: 'True' }, (r) => r.active, true],
    ['path active, lowercase "false"', { op: 'replace', path: 'active', value: 'false' }, (r) => r.active, false],
    ['no path, {"active": "False"}', { op: 'replace', value: { active: 'False' } }, (r) => r.active, false],
    ['no path, a URN-qualified core key', { op: 'replace', value: { 'urn:ietf:params:scim:schemas:core:2.0:User:active': 'FALSE' } }, (r) => r.active, false],
    ['a sub-attribute through a value filter', { op: 'replace', path: 'emails[type eq "home"].primary', value: 'True' }, (r) => emails(r).map((e) => e.primary), [false, true]],
    ['a new element with primary "True" takes primary', { op: 'add', path: 'emails', value: [{ value: 'n@x.y', type: 'other', primary: 'True' }] }, (r) => emails(r).filter((e) => e.primary === true).map((e) => e.value), ['n@x.y']],
    ['a selected element given as an object', { op: 'replace', path: 'emails[type eq "home"]', value: { primary: 'true' } }, (r) => emails(r)[1], { value: 'babs@jensen.org', type: 'home', primary: true }],
    ['an element created through a value filter', { op: 'add', path: 'emails[type eq "other"]', value: { value: 'o@x.y', primary: 'TRUE' } }, (r) => emails(r)[2], { type: 'other', value: 'o@x.y', primary: true }],
    ['a string attribute keeps "True" as it is', { op: 'replace', path: 'title', value: 'True' }, (r) => r.title, 'True'],
    ['a string sub-attribute keeps "false" as it is', { op: 'replace', path: 'emails[type eq "work"].display', value: 'false' }, (r) => emails(r)[0].display, 'false'],
  ])('%s', (_label, operation, read, expected) => {
    expect(read(patch(user(), operation))).toEqual(expected);
  });

  it('leaves a string that is no boolean for the validator to refuse', () => {
    expect(patch(user(), { op: 'replace', path: 'active', value: 'yes' }).active).toBe('yes');
  });
});

describe('the enterprise manager sent as a bare id (Entra)', () => {
  it.each<[string, object]>([
    ['Add on the URN path', { op: 'Add', path: MANAGER, value: 'm-9' }],
    ['Replace on the URN path', { op: 'Replace', path: MANAGER, value: 'm-9' }],
    ['a no-path URN-qualified key', { op: 'Add', value: { [MANAGER]: 'm-9' } }],
    ['a no-path extension object', { op: 'add', value: { [ENT]: { manager: 'm-9' } } }],
    ['the extension URN as the path', { op: 'add', path: ENT, value: { manager: 'm-9' } }],
    ['a value filter selecting the current manager', { op: 'replace', path: `${MANAGER}[value eq "m-1"]`, value: 'm-9' }],
  ])('%s sets {value}, and replaces a current manager whole (its $ref goes)', (_label, operation) => {
    expect(patch(user({ department: 'Tours' }), operation)[ENT]).toEqual({ department: 'Tours', manager: { value: 'm-9' } });
    expect(ext(patch(user(), operation))).toEqual({ department: 'Tours', manager: { value: 'm-9' } });
  });

  it.each<[string, object]>([
    ['Replace with null', { op: 'Replace', path: MANAGER, value: null }],
    ['Replace with ""', { op: 'Replace', path: MANAGER, value: '' }],
    ['Remove on the URN path', { op: 'Remove', path: MANAGER }],
    ['Remove through a value filter naming it', { op: 'Remove', path: `${MANAGER}[value eq "m-1"]` }],
    ['no-path Replace with ""', { op: 'Replace', value: { [MANAGER]: '' } }],
  ])('%s removes it', (_label, operation) => {
    expect(ext(patch(user(), operation))).toEqual({ department: 'Tours' });
  });

  it('removing the manager of a user with nothing else in the extension removes the extension', () => {
    expect(ENT in patch(user({ manager: { value: 'm-1' } }), { op: 'Remove', path: `${MANAGER}[value eq "m-1"]` })).toBe(false);
  });

  it('a value filter naming another manager removes nothing', () => {
    expect(ext(patch(user(), { op: 'Remove', path: `${MANAGER}[value eq "someone-else"]` }))).toEqual(user()[ENT]);
    expect(ENT in patch(user(null), { op: 'Remove', path: `${MANAGER}[value eq "m-1"]` })).toBe(false);
  });

  it('a value filter may be followed by a sub-attribute', () => {
    expect(ext(patch(user(), { op: 'remove', path: `${MANAGER}[value eq "m-1"].$ref` }))).toEqual({ department: 'Tours', manager: { value: 'm-1' } });
    expect(ext(patch(user(), { op: 'replace', path: `${MANAGER}[value eq "m-1"].value`, value: 'm-2' }))?.manager).toEqual({ value: 'm-2', $ref: 'https://x/Users/m-1' });
  });

  it('add through a value filter creates the manager when there is none', () => {
    expect(ext(patch(user(null), { op: 'add', path: `${MANAGER}[value eq "m-3"]`, value: {} }))).toEqual({ manager: { value: 'm-3' } });
  });

  it('add through a value filter that does not select the current manager is 400 noTarget, not a silent overwrite', () => {
    const error = refusal(user(), { op: 'add', path: `${MANAGER}[value eq "m-3"].$ref`, value: 'https://x/Users/m-3' });
    expect([error.status, error.scimType]).toEqual([400, 'noTarget']);
  });

  it('a value filter on another singular complex attribute works the same way', () => {
    expect(patch(user(), { op: 'remove', path: 'name[givenName eq "barbara"].givenName' }).name).toEqual({ familyName: 'Jensen' });
  });

  it('a value filter on a simple attribute is still 400 invalidPath', () => {
    expect(refusal(user(), { op: 'remove', path: 'title[value eq "Guide"]' }).scimType).toBe('invalidPath');
  });

  it.each<[string, object]>([
    ['a selected element of emails', { op: 'replace', path: 'emails[type eq "home"]', value: 'x@y.z' }],
    ['name, which has no value sub-attribute', { op: 'replace', path: 'name', value: 'Barbara Jensen' }],
    ['name in a no-path value', { op: 'replace', value: { name: 'Barbara Jensen' } }],
  ])('a string for %s is 400 invalidValue, not a string spread into sub-attributes', (_label, operation) => {
    expect(refusal(user(), operation).scimType).toBe('invalidValue');
  });
});
