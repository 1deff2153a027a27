import { ScimError } from '../../../src/scim/errors';
import {
  ACCOUNT_EXTENSION, groupPermissions, isEffectivePermissions, ownPermissions, unionOfPermissions,
} from '../../../src/scim/filter/effective-permissions';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { resolveAttribute } from '../../../src/scim/schema/resolve-attribute';
import type { JsonObject } from '../../../src/scim/values/json';

const registry = loadSchemaRegistry();
const GROUP_EXTENSION = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Group';
const resolveUser = (text: string) => resolveFilter(registry.user, parseFilter(text));

/** effectivePermissions as the filter layer sees it: its names, its operators, and the values it is made of. */
describe('effectivePermissions in filters', () => {
  it.each([
    ['effectivePermissions'],
    ['EFFECTIVEPERMISSIONS'],
    [`${ACCOUNT_EXTENSION}:effectivePermissions`],
  ])('resolves %s to the Account extension attribute (the short name: no core attribute has it, one extension does)', (name) => {
    const resolved = resolveAttribute(registry.user, { attribute: name.split(':').pop()!, ...(name.includes(':') ? { schema: ACCOUNT_EXTENSION } : {}) });
    expect(resolved?.jsonPath).toEqual([ACCOUNT_EXTENSION, 'effectivePermissions']);
    expect(isEffectivePermissions(resolved!)).toBe(true);
  });

  it('tells it apart from every other attribute, the Account roles included', () => {
    for (const name of ['roles', 'entitlements', 'userName']) {
      const resolved = resolveAttribute(registry.user, name === 'roles' ? { schema: ACCOUNT_EXTENSION, attribute: 'roles' } : { attribute: name });
      expect(isEffectivePermissions(resolved!)).toBe(false);
    }
  });

  it.each(['eq', 'ne', 'co', 'sw', 'ew'])('accepts %s', (op) => {
    expect(resolveUser(`effectivePermissions ${op} "reports.view"`)).toMatchObject({ kind: 'compare', op, value: 'reports.view' });
  });

  it('accepts pr and the null comparisons (pr in other words)', () => {
    expect(resolveUser('effectivePermissions pr')).toMatchObject({ kind: 'present' });
    expect(resolveUser('effectivePermissions eq null')).toMatchObject({ kind: 'not', filter: { kind: 'present' } });
  });

  it.each(['gt', 'ge', 'lt', 'le'])('refuses %s with invalidFilter and a sentence saying why and what to use', (op) => {
    let refusal: unknown;
    try {
      resolveUser(`effectivePermissions ${op} "m"`);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ScimError);
    expect(refusal).toMatchObject({
      status: 400,
      scimType: 'invalidFilter',
      detail: `The "${op}" operator cannot be used with ${ACCOUNT_EXTENSION}:effectivePermissions: permissions are names, which have no order; use eq, ne, co, sw, ew or pr`,
    });
  });

  it('still orders every other string attribute', () => {
    expect(resolveUser('userName gt "m"')).toMatchObject({ kind: 'compare', op: 'gt' });
  });
});

describe('the values effectivePermissions is made of', () => {
  it.each<[string, JsonObject, string[]]>([
    ['the values of the entitlements', { entitlements: [{ value: 'b' }, { value: 'a', type: 'app' }] }, ['b', 'a']],
    ['each once', { entitlements: [{ value: 'a' }, { value: 'a' }] }, ['a']],
    ['not an entitlement without a value, an empty one or one that is no string', { entitlements: [{ display: 'x' }, { value: '' }, { value: 7 }] }, []],
    ['none without entitlements', { userName: 'x' }, []],
  ])('a user\'s own permissions: %s', (_label, data, expected) => {
    expect(ownPermissions(data)).toEqual(expected);
  });

  it.each<[string, JsonObject, string[]]>([
    ['its permissions', { displayName: 'G', [GROUP_EXTENSION]: { permissions: ['x', 'y', 'x', ''] } }, ['x', 'y']],
    ['none without the extension', { displayName: 'G' }, []],
  ])('a group grants %s', (_label, data, expected) => {
    expect(groupPermissions(data)).toEqual(expected);
  });

  it('unites lists into one, each permission once, sorted, compared exactly', () => {
    expect(unionOfPermissions([['reports.view', 'b'], [], ['Reports.View', 'a', 'b']])).toEqual(['Reports.View', 'a', 'b', 'reports.view']);
  });
});
