/**
 * The requests bench/stall.ts sends: issue 8's reproductions and the worst of each kind a client
 * with a valid token can send under the default limits (5 MB bodies, 100 filter terms, 1,000
 * results a page, 1,000 bulk operations).
 */
import type { Seeded } from './stall';

export interface HostileRequest {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly body?: object | string;
}

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ACCOUNT = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
const patch = (...Operations: object[]) => ({ schemas: [PATCH], Operations });
const q = encodeURIComponent;
const emails = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ value: `${prefix}${i}@example.com`, type: 'other' }));
const terms = (n: number, term: (i: number) => string, join = ' or ') => Array.from({ length: n }, (_, i) => term(i)).join(join);
/** `depth` levels of {"a": …} as text (JSON.stringify of such a value would itself recurse that deep). */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const newUser = (userName: string, extra: object = {}) =>
  ({ schemas: [USER], userName, name: { givenName: 'G', familyName: 'F' }, emails: [{ value: `${userName}@example.com` }], ...extra });

export function hostileRequests(seeded: Seeded, users: number): HostileRequest[] {
  const user = seeded.userIds[1];
  const other = seeded.userIds[2];
  return [
    { name: 'GET /Users?filter=userName eq (baseline)', method: 'GET', path: `/Users?filter=${q('userName eq "user7"')}` },
    { name: 'PATCH add 20,000 emails', method: 'PATCH', path: `/Users/${user}`, body: patch({ op: 'add', path: 'emails', value: emails(20_000, 'a') }) },
    { name: 'PATCH add 100 emails (at the cap)', method: 'PATCH', path: `/Users/${other}`, body: patch({ op: 'add', path: 'emails', value: emails(98, 'b') }) },
    { name: 'PATCH 60,000 emails onto a user at the cap', method: 'PATCH', path: `/Users/${other}`, body: patch({ op: 'add', path: 'emails', value: emails(60_000, 'c') }) },
    { name: 'POST /Users with a 5 MB userName', method: 'POST', path: '/Users', body: newUser('x'.repeat(5_000_000 - 200)) },
    { name: 'POST /Users with 20,000 roles', method: 'POST', path: '/Users', body: newUser('roles.many', { [ACCOUNT]: { accountType: 'ConfigAdmin', roles: Array.from({ length: 20_000 }, (_, i) => `r${i}`) } }) },
    { name: 'POST /Users nested 4,000 levels in an extension', method: 'POST', path: '/Users', body: `{"schemas":["${USER}"],"userName":"deep","name":{"givenName":"G","familyName":"F"},"emails":[{"value":"d@example.com"}],"urn:x:ext":${nested(4000)}}` },
    { name: 'PATCH value nested 4,000 levels', method: 'PATCH', path: `/Users/${user}`, body: `{"schemas":["${PATCH}"],"Operations":[{"op":"add","path":"title","value":${nested(4000)}}]}` },
    { name: 'POST /Bulk: a user, then data nested 4,000 levels', method: 'POST', path: '/Bulk', body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{"method":"POST","path":"/Users","bulkId":"a","data":${JSON.stringify(newUser('bulk.first'))}},{"method":"POST","path":"/Users","bulkId":"b","data":${nested(4000)}}]}` },
    { name: 'POST /.search: 100 members.display co terms', method: 'POST', path: '/.search', body: { filter: terms(100, (i) => `members.display co "zz${i}"`) } },
    { name: 'POST /.search: 300 members.display co terms (over the term cap)', method: 'POST', path: '/.search', body: { filter: terms(300, (i) => `members.display co "zz${i}"`) } },
    { name: 'POST /Users/.search: 100 emails co terms', method: 'POST', path: '/Users/.search', body: { filter: terms(100, (i) => `emails co "zz${i}"`) } },
    { name: 'POST /Users/.search: 100 displayName co terms', method: 'POST', path: '/Users/.search', body: { filter: terms(100, (i) => `displayName co "zz${i}"`) } },
    { name: 'POST /Users/.search: 100 groups.display co terms', method: 'POST', path: '/Users/.search', body: { filter: terms(100, (i) => `groups.display co "zz${i}"`) } },
    { name: 'POST /Users/.search: 100 not(emails ew) terms, sorted by emails', method: 'POST', path: '/Users/.search', body: { filter: terms(100, (i) => `not (emails.value ew "zz${i}")`, ' and '), sortBy: 'emails', count: 1 } },
    { name: 'POST /Users/.search: 999 userName eq terms (over the cap)', method: 'POST', path: '/Users/.search', body: { filter: terms(999, (i) => `userName eq "user${i}"`) } },
    { name: 'GET /Users?filter=displayName co (one scanning term)', method: 'GET', path: `/Users?filter=${q('displayName co "Number 9999"')}` },
    { name: `GET /Users?count=1000 with groups`, method: 'GET', path: '/Users?count=1000' },
    { name: 'GET /Users?sortBy=roles&count=1000', method: 'GET', path: `/Users?sortBy=${q(`${ACCOUNT}:roles`)}&count=1000` },
    { name: `GET /Users?sortBy=emails&startIndex=${users - 1000}&count=1000`, method: 'GET', path: `/Users?sortBy=emails&startIndex=${users - 1000}&count=1000` },
    { name: 'GET /Groups?count=1000 (with members)', method: 'GET', path: '/Groups?count=1000' },
    { name: `GET /Groups/{everyone} (${users} members)`, method: 'GET', path: `/Groups/${seeded.everyoneGroupId}` },
    { name: 'PATCH group: add 50,000 members in one request', method: 'PATCH', path: `/Groups/${seeded.smallGroupId}?excludedAttributes=members`, body: patch({ op: 'add', path: 'members', value: seeded.userIds.slice(0, 50_000).map((value) => ({ value })) }) },
    { name: 'POST /Bulk: 1,000 user creations', method: 'POST', path: '/Bulk', body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: Array.from({ length: 1000 }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `u${i}`, data: newUser(`bulk.${i}`) })) } },
    { name: `DELETE /Groups/{everyone} (${users} members)`, method: 'DELETE', path: `/Groups/${seeded.everyoneGroupId}` },
  ];
}
