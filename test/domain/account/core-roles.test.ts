import type { JsonObject } from '../../../src/scim/values/json';
import { coreRoleValues, coreRolesFor, readCoreRoles, withCoreRoles } from '../../../src/domain/account/core-roles';

/** The core User `roles` attribute (RFC 7643 §4.1.2), as the account rules read and write it. */
describe('reading core roles', () => {
  it.each([
    ['absent', {}, undefined],
    ['null', { roles: null }, undefined],
    ['an empty list', { roles: [] }, []],
    ['entries with value, display, type and primary, values trimmed', { roles: [{ value: ' Admin ', display: 'Admin', type: 'app', primary: true }] },
      [{ value: 'Admin', display: 'Admin', type: 'app', primary: true }]],
    ['the attribute named in another case', { Roles: [{ Value: 'x' }] }, [{ value: 'x' }]],
    // Entra's AppRoleAssignmentsComplex, in a PATCH: the app role as JSON text in `value`.
    ["Entra's app role as JSON text", { roles: [{ value: '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"25","displayName":"Role1234"}' }] },
      [{ value: '25', display: 'Role1234' }]],
    ["Entra's JSON text beside a display of its own, which stays", { roles: [{ value: '{"value":"Admin","displayName":"x"}', display: 'Admin' }] },
      [{ value: 'Admin', display: 'Admin' }]],
    ['a name that starts with "{" but is no JSON', { roles: [{ value: '{curly' }] }, [{ value: '{curly' }]],
    ['an entry without a value, as it is', { roles: [{ display: 'x' }] }, [{ display: 'x' }]],
  ])('%s', (_label, data, expected) => {
    expect(readCoreRoles(data as never)).toEqual(expected);
  });

  it('names each distinct value once, in order, skipping entries without one', () => {
    expect(coreRoleValues([{ value: 'b' }, { display: 'none' }, { value: 'a' }, { value: 'b', type: 'other' }])).toEqual(['b', 'a']);
  });
});

describe('writing core roles', () => {
  it('keeps the entry of a role whose value stays, first from the first source', () => {
    const draft = [{ value: 'a', display: 'A (new)' }];
    const stored: JsonObject[] = [{ value: 'a', display: 'A' }, { value: 'b', primary: true }];
    expect(coreRolesFor(['a', 'b', 'c'], draft, stored)).toEqual([{ value: 'a', display: 'A (new)' }, { value: 'b', primary: true }, { value: 'c' }]);
  });

  it('replaces the attribute, in any case, and removes it when there are no roles', () => {
    expect(withCoreRoles({ userName: 'u', Roles: [{ value: 'x' }] }, [{ value: 'y' }])).toEqual({ userName: 'u', roles: [{ value: 'y' }] });
    expect(withCoreRoles({ userName: 'u', roles: [{ value: 'x' }] }, [])).toEqual({ userName: 'u' });
  });
});
