import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import type { JsonObject } from '../../../src/scim/values/json';
import { encodeKey, qPath, queryDocument } from '../../../src/store/mongo/query-document';
import { ACCOUNT_URN, ENTERPRISE_URN } from '../../support/fixtures/filter-fixtures';
import { find } from './mingo-engine';

const registry = loadSchemaRegistry();
const ENTERPRISE_KEY = 'urn:ietf:params:scim:schemas:extension:enterprise:2%2E0:User';
const ACCOUNT_KEY = 'urn:ietf:params:scim:schemas:extension:roster:2%2E0:Account';

describe('queryDocument: the folded `q` copy', () => {
  const data: JsonObject = {
    userName: 'Éva.Núñez',
    externalId: 'EXT-001',
    name: { familyName: 'NÚÑEZ', givenName: 'Éva' },
    active: false,
    emails: [{ value: 'EVA@Example.COM', type: 'Work', primary: true }],
    [ENTERPRISE_URN]: { department: 'Engineering', manager: { value: 'BOSS-1', $ref: 'https://x.test/Users/BOSS-1' } },
    [ACCOUNT_URN]: { status: 'Active', roles: ['Auditor'], activatedAt: '2021-01-01T01:00:00+01:00' },
  };

  it('folds every string that is not caseExact and keeps caseExact and non-string values', () => {
    expect(queryDocument(registry.user, data)).toEqual({
      userName: 'éva.núñez',
      externalId: 'EXT-001',
      name: { familyName: 'núñez', givenName: 'éva' },
      active: false,
      emails: [{ value: 'eva@example.com', type: 'work', primary: true }],
      [ENTERPRISE_KEY]: { department: 'engineering', manager: { value: 'boss-1', '%24ref': 'https://x.test/users/boss-1' } },
      // Account status and roles are caseExact; dateTimes become ISO-8601 UTC, so text order is time order.
      [ACCOUNT_KEY]: { status: 'Active', roles: ['Auditor'], activatedAt: '2021-01-01T00:00:00.000Z' },
    });
  });

  it('leaves data untouched', () => {
    const before = structuredClone(data);
    queryDocument(registry.user, data);
    expect(data).toEqual(before);
  });

  it('names attributes and extensions canonically, whatever case data spells them in', () => {
    const q = queryDocument(registry.user, { USERNAME: 'Bob', [ENTERPRISE_URN.toUpperCase()]: { DEPARTMENT: 'Sales' } });
    expect(q).toEqual({ userName: 'bob', [ENTERPRISE_KEY]: { department: 'sales' } });
  });

  it('copies attributes no schema defines as stored, with addressable keys', () => {
    expect(queryDocument(registry.group, { displayName: 'Ops', custom: { 'a.b': 'X', $c: ['Y'] } })).toEqual({
      displayName: 'ops',
      custom: { 'a%2Eb': 'X', '%24c': ['Y'] },
    });
  });

  it('encodes keys reversibly, so no two attribute names share a field', () => {
    expect(encodeKey('2.0')).toBe('2%2E0');
    expect(encodeKey('2%2E0')).toBe('2%252E0');
    expect(encodeKey('$ref')).toBe('%24ref');
    expect(encodeKey('a$b')).toBe('a$b');
    expect(qPath([ENTERPRISE_URN, 'manager', '$ref'])).toBe(`q.${ENTERPRISE_KEY}.manager.%24ref`);
  });

  it('makes an extension attribute addressable by a dotted path, which the raw URN key is not', () => {
    const document = { data, q: queryDocument(registry.user, data) };
    expect(find([document], { [qPath([ENTERPRISE_URN, 'department'])]: 'engineering' })).toHaveLength(1);
    expect(find([document], { [`data.${ENTERPRISE_URN}.department`]: 'Engineering' })).toHaveLength(0);
  });
});
