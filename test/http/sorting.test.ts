import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { commonAttributes, type AttributeDefinition, type ResourceType } from '../../src/scim/schema/definitions';
import { ACCOUNT_URN, ENTERPRISE_URN, GROUP_URN, LOCALIZATION_URN, startTestApp, userBody, type TestApp } from '../support/test-app';

/**
 * sortBy (RFC 7644 §3.4.2.3) over every attribute path the server publishes in /Schemas: each
 * either orders the list (index and cursor pagination alike) or is refused with a 400 that says
 * why; never a 500. Users hold values for every attribute, so no sort meets only missing values.
 */
const registry = loadSchemaRegistry();
const ROLES = `${ACCOUNT_URN}:roles`;

/** Every attribute and sub-attribute path of a resource type, extension ones qualified by their URN. */
function everyPath(type: ResourceType): string[] {
  const paths = (attributes: readonly AttributeDefinition[], prefix: string) =>
    attributes.flatMap((a) => [`${prefix}${a.name}`, ...(a.subAttributes ?? []).map((s) => `${prefix}${a.name}.${s.name}`)]);
  return [
    ...paths(commonAttributes, ''),
    ...paths(type.core.attributes, ''),
    ...type.extensions.flatMap((e) => paths(e.schema.attributes, `${e.schema.id}:`)),
  ];
}

const multiValued = (value: string, type: string, primary = false) => [{ value, display: `${value} shown`, type, ...(primary ? { primary: true } : {}) }];

const users: [string, object][] = [
  ['ann', {
    displayName: 'Ann', nickName: 'annie', title: 'Chief', userType: 'Employee', profileUrl: 'https://example.com/ann',
    preferredLanguage: 'en', locale: 'en-US', timezone: 'Europe/Paris', active: true, externalId: 'x-2',
    name: { formatted: 'Ann A', familyName: 'Able', givenName: 'Ann', middleName: 'M', honorificPrefix: 'Dr', honorificSuffix: 'III' },
    emails: [{ value: 'zz-ann@example.com', type: 'home' }, { value: 'ann@example.com', type: 'work', primary: true, display: 'Ann at work' }],
    phoneNumbers: multiValued('+1 555 0102', 'work'), ims: multiValued('ann-im', 'xmpp'), photos: multiValued('https://example.com/ann.png', 'photo'),
    addresses: [{ formatted: 'ann street', streetAddress: '1 A St', locality: 'Paris', region: 'IdF', postalCode: '75001', country: 'FR', type: 'work', primary: true }],
    entitlements: multiValued('ent-b', 'x'), roles: multiValued('role-b', 'x'), x509Certificates: multiValued('TUlJQw==', 'x'),
    [ENTERPRISE_URN]: { employeeNumber: '2', costCenter: 'cc2', organization: 'org', division: 'div', department: 'dep', manager: { value: 'mgr-2' } },
    [ACCOUNT_URN]: { accountType: 'ConfigAdmin' },
    [LOCALIZATION_URN]: { dateTimeFormat: 'd/m/Y' },
  }],
  ['ben', {
    displayName: 'Ben', nickName: 'benny', title: 'Aide', userType: 'Contractor', profileUrl: 'https://example.com/ben',
    preferredLanguage: 'fr', locale: 'fr-FR', timezone: 'America/New_York', active: false, externalId: 'x-1',
    name: { formatted: 'Ben B', familyName: 'Baker', givenName: 'Ben', middleName: 'N', honorificPrefix: 'Mr', honorificSuffix: 'Jr' },
    emails: [{ value: 'ben@example.com', type: 'work' }],
    phoneNumbers: multiValued('+1 555 0101', 'home', true), ims: multiValued('ben-im', 'aim'), photos: multiValued('https://example.com/ben.png', 'thumbnail'),
    addresses: [{ formatted: 'ben road', streetAddress: '2 B Rd', locality: 'Berlin', region: 'BE', postalCode: '10115', country: 'DE', type: 'home' }],
    entitlements: multiValued('ent-a', 'y'), roles: multiValued('role-a', 'y'), x509Certificates: multiValued('TUlJRA==', 'y'),
    [ENTERPRISE_URN]: { employeeNumber: '1', costCenter: 'cc1', organization: 'org', division: 'div', department: 'dep', manager: { value: 'mgr-1' } },
    [ACCOUNT_URN]: { accountType: 'ConfigAdmin' },
    [LOCALIZATION_URN]: { dateTimeFormat: 'Y/m/d' },
  }],
  // Only what every user needs: the sorts on anything else put her last ascending, first descending.
  ['cat', {}],
];

describe('sortBy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    const ids: string[] = [];
    for (const [userName, extra] of users) ids.push((await t.post('/Users', { ...userBody(userName), ...extra }).expect(201)).body.id);
    await t.post('/Groups', { schemas: [GROUP_URN], displayName: 'Beta team', externalId: 'g-1', members: [{ value: ids[0] }] }).expect(201);
    await t.post('/Groups', { schemas: [GROUP_URN], displayName: 'Alpha team', externalId: 'g-2', members: [{ value: ids[1] }, { value: ids[2] }] }).expect(201);
  });
  afterAll(() => t.close());

  const listOf = (endpoint: string, sortBy: string, sortOrder = 'ascending') =>
    t.get(`${endpoint}?sortBy=${encodeURIComponent(sortBy)}&sortOrder=${sortOrder}`);
  const nameOf = (r: { userName?: string; displayName?: string }) => r.userName ?? r.displayName;

  /** Every cursor page, one resource at a time, from the first to the one without nextCursor. */
  async function walkCursor(endpoint: string, sortBy: string, sortOrder: string) {
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const res = await t.get(`${endpoint}?sortBy=${encodeURIComponent(sortBy)}&sortOrder=${sortOrder}&count=1&cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.Resources.map(nameOf));
      if (!res.body.nextCursor) return seen;
      cursor = res.body.nextCursor;
    }
    throw new Error('the cursor never ended');
  }

  describe.each([
    ['/Users', registry.user],
    ['/Groups', registry.group],
  ] as const)('%s: every attribute path in /Schemas sorts or is refused with a reason', (endpoint, type) => {
    it.each(everyPath(type).flatMap((path) => [[path, 'ascending'], [path, 'descending']]))('sortBy=%s sortOrder=%s', async (sortBy, sortOrder) => {
      const res = await listOf(endpoint, sortBy, sortOrder);
      if (res.status === 400) {
        expect(['invalidPath', 'invalidValue']).toContain(res.body.scimType);
        expect(res.body.detail).toMatch(/sort/i);
        return;
      }
      expect(res.status).toBe(200);
      const all = res.body.Resources.map(nameOf);
      expect(all).toHaveLength(res.body.totalResults);
      // Cursor pagination walks exactly the order index pagination serves.
      expect(await walkCursor(endpoint, sortBy, sortOrder)).toEqual(all);
    });
  });

  it.each([
    [ROLES, 'ascending', ['ben', 'ann', 'cat']],
    [ROLES, 'descending', ['cat', 'ann', 'ben']],
    ['emails', 'ascending', ['ann', 'ben', 'cat']],
    ['emails.display', 'descending', ['ben', 'cat', 'ann']],
    ['phoneNumbers', 'ascending', ['ben', 'ann', 'cat']],
    ['roles', 'ascending', ['ben', 'ann', 'cat']],
    ['addresses.locality', 'ascending', ['ben', 'ann', 'cat']],
    ['x509Certificates.value', 'ascending', ['ann', 'ben', 'cat']],
    ['active', 'ascending', ['ben', 'ann', 'cat']],
    ['groups', 'ascending', undefined],
    ['groups.display', 'ascending', ['ben', 'cat', 'ann']],
    [`${ENTERPRISE_URN}:manager`, 'ascending', ['ben', 'ann', 'cat']],
    [`${ENTERPRISE_URN}:employeeNumber`, 'descending', ['cat', 'ann', 'ben']],
    // caseExact: "Y/m/d" before "d/m/Y".
    [`${LOCALIZATION_URN}:dateTimeFormat`, 'ascending', ['ben', 'ann', 'cat']],
    ['meta.created', 'descending', ['cat', 'ben', 'ann']],
  ])('sortBy=%s sortOrder=%s gives the documented order', async (sortBy, sortOrder, expected) => {
    const res = await listOf('/Users', sortBy, sortOrder).expect(200);
    if (expected) expect(res.body.Resources.map(nameOf)).toEqual(expected);
    expect(await walkCursor('/Users', sortBy, sortOrder)).toEqual(res.body.Resources.map(nameOf));
  });

  it.each([
    ['members', 'ascending', ['Beta team', 'Alpha team']],
    ['members.display', 'ascending', ['Beta team', 'Alpha team']],
    ['externalId', 'descending', ['Alpha team', 'Beta team']],
  ])('groups: sortBy=%s sortOrder=%s gives the documented order', async (sortBy, sortOrder, expected) => {
    const res = await listOf('/Groups', sortBy, sortOrder).expect(200);
    if (sortBy !== 'members') expect(res.body.Resources.map(nameOf)).toEqual(expected);
    expect(await walkCursor('/Groups', sortBy, sortOrder)).toEqual(res.body.Resources.map(nameOf));
  });
});
