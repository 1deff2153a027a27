import { attributeChanges } from '../../../src/domain/events/attribute-changes';
import type { JsonObject } from '../../../src/scim/values/json';

/**
 * The changes of an event list what differs, per attribute, sorted by path: a singular complex
 * attribute per sub-attribute, an extension per attribute (a complex one inside it whole), a
 * multi-valued attribute whole. A side without a value is left out.
 */
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('attributeChanges', () => {
  it.each<[string, JsonObject | undefined, JsonObject | undefined, unknown[]]>([
    ['nothing changed', { userName: 'ada', name: { givenName: 'Ada' } }, { userName: 'ada', name: { givenName: 'Ada' } }, []],
    ['a simple attribute', { title: 'Countess' }, { title: 'Engineer' }, [{ path: 'title', before: 'Countess', after: 'Engineer' }]],
    ['an attribute that appears', {}, { title: 'Engineer' }, [{ path: 'title', after: 'Engineer' }]],
    ['an attribute that goes away', { title: 'Countess' }, {}, [{ path: 'title', before: 'Countess' }]],
    ['a boolean', { active: true }, { active: false }, [{ path: 'active', before: true, after: false }]],
    ['null as no value', { title: null }, {}, []],
    ['a value replacing null', { title: null }, { title: 'Engineer' }, [{ path: 'title', after: 'Engineer' }]],
    ['a sub-attribute of a singular complex attribute', { name: { givenName: 'Ada', familyName: 'Byron' } }, { name: { givenName: 'Ada', familyName: 'Lovelace' } },
      [{ path: 'name.familyName', before: 'Byron', after: 'Lovelace' }]],
    ['a complex attribute that appears, per sub-attribute', {}, { name: { givenName: 'Ada', familyName: 'Lovelace' } },
      [{ path: 'name.familyName', after: 'Lovelace' }, { path: 'name.givenName', after: 'Ada' }]],
    ['a complex attribute that goes away', { name: { givenName: 'Ada' } }, {}, [{ path: 'name.givenName', before: 'Ada' }]],
    ['an empty complex attribute as nothing', {}, { name: {} }, []],
    ['an extension attribute, with its SCIM path', { [ENTERPRISE]: { employeeNumber: '7', costCenter: 'R&D' } }, { [ENTERPRISE]: { employeeNumber: '8', costCenter: 'R&D' } },
      [{ path: `${ENTERPRISE}:employeeNumber`, before: '7', after: '8' }]],
    ['a complex attribute inside an extension, whole', { [ENTERPRISE]: { manager: { value: 'u1', displayName: 'Grace' } } }, { [ENTERPRISE]: { manager: { value: 'u2', displayName: 'Grace' } } },
      [{ path: `${ENTERPRISE}:manager`, before: { value: 'u1', displayName: 'Grace' }, after: { value: 'u2', displayName: 'Grace' } }]],
    ['an extension that appears', {}, { [ENTERPRISE]: { department: 'Math' } }, [{ path: `${ENTERPRISE}:department`, after: 'Math' }]],
    ['a multi-valued attribute, whole', { emails: [{ value: 'a@x.org', primary: true }, { value: 'b@x.org' }] }, { emails: [{ value: 'a@x.org', primary: true }, { value: 'c@x.org' }] },
      [{ path: 'emails', before: [{ value: 'a@x.org', primary: true }, { value: 'b@x.org' }], after: [{ value: 'a@x.org', primary: true }, { value: 'c@x.org' }] }]],
    ['a multi-valued attribute reordered (order is part of the value)', { emails: [{ value: 'a' }, { value: 'b' }] }, { emails: [{ value: 'b' }, { value: 'a' }] },
      [{ path: 'emails', before: [{ value: 'a' }, { value: 'b' }], after: [{ value: 'b' }, { value: 'a' }] }]],
    ['objects whose keys differ only in order', { name: { formatted: 'Ada L', givenName: 'Ada' } }, { name: { givenName: 'Ada', formatted: 'Ada L' } }, []],
    ['a complex attribute replaced by a plain value, whole', { name: { givenName: 'Ada' } }, { name: 'Ada' }, [{ path: 'name', before: { givenName: 'Ada' }, after: 'Ada' }]],
    ['a created resource: every attribute', undefined, { userName: 'ada', active: true },
      [{ path: 'active', after: true }, { path: 'userName', after: 'ada' }]],
    ['a removed resource: every attribute', { userName: 'ada' }, undefined, [{ path: 'userName', before: 'ada' }]],
  ])('%s', (_, before, after, changes) => {
    expect(attributeChanges(before, after)).toEqual(changes);
  });

  it('sorts by path, in code-unit order, across plain, complex and extension attributes', () => {
    const paths = attributeChanges(undefined, {
      userName: 'ada', [ENTERPRISE]: { department: 'Math' }, active: true, name: { givenName: 'Ada', familyName: 'L' }, displayName: 'Ada',
    }).map((c) => c.path);
    expect(paths).toEqual(['active', 'displayName', 'name.familyName', 'name.givenName', `${ENTERPRISE}:department`, 'userName']);
  });

  it('keeps attribute names as stored', () => {
    expect(attributeChanges({ nickName: 'a' }, { nickName: 'b' })).toEqual([{ path: 'nickName', before: 'a', after: 'b' }]);
  });

  it('never carries a password, should one be in the attributes', () => {
    expect(attributeChanges({ password: 'old' }, { password: 'new', Password: 'x', title: 't' })).toEqual([{ path: 'title', after: 't' }]);
  });
});
