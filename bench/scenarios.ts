/**
 * What `npm run bench` measures, each scenario with the issue's target where it sets one, and the
 * baselines it is run against in the same run ("store": a minimal Express handler over the same
 * store; "memory": one over the same users in memory, run at 10,000 users or fewer). The PATCH of
 * the big group is compared with the same PATCH of an empty group instead. Names do not depend on
 * the user count, so that runs at 100,000 and 1,000,000 users can be drawn side by side.
 */
import type { Load } from './load';
import { externalId, familyFragment, userBody, userName } from './people';
import type { Seeded } from './seed';

export type BaselineKind = 'store' | 'memory';

export interface Scenario extends Load {
  readonly id: string;
  readonly name: string;
  readonly concurrency: number;
  /** The issue's latency target: p99 below this many milliseconds. */
  readonly p99Ms?: number;
  /** Baselines to run this scenario against, each with the least Roster/baseline throughput ratio the issue asks, if any. */
  readonly baselines: readonly { readonly kind: BaselineKind; readonly minRatio?: number }[];
  /** Another scenario of this run this one is compared with (Roster/it), and the least ratio asked. */
  readonly comparedWith?: { readonly id: string; readonly minRatio: number };
}

const q = encodeURIComponent;
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const STORE = { kind: 'store' } as const;

/** The `co` searches' operand: a 5-letter piece of one user's family name, shared by a few others. */
export const coOperand = (users: number): string => familyFragment(Math.floor(users / 3));

export function scenarios(seeded: Seeded, deepCursor: string): Scenario[] {
  const n = seeded.users;
  const pick = (i: number) => (i * 7919) % n;
  const middle = Math.floor(n / 2) + 1;
  const last = Math.max(1, n - 99);
  const fragment = coOperand(n);
  const memberId = seeded.sample[0][1];
  const memberChange = (i: number) => ({ schemas: [PATCH_OP], Operations: [i % 2
    ? { op: 'add', path: 'members', value: [{ value: memberId }] }
    : { op: 'remove', path: `members[value eq "${memberId}"]` }] });
  const lookups = (concurrency: number, p99Ms?: number): Scenario[] => [
    { id: `okta-${concurrency}`, name: `Okta lookup: userName eq, ${concurrency} conn.`, method: 'GET', concurrency, p99Ms, baselines: [STORE], path: (i) => `/Users?filter=${q(`userName eq "${userName(pick(i))}"`)}&startIndex=1&count=100` },
    { id: `entra-${concurrency}`, name: `Entra lookup: emails[type eq "work"].value eq, ${concurrency} conn.`, method: 'GET', concurrency, p99Ms, baselines: [STORE], path: (i) => `/Users?filter=${q(`emails[type eq "work"].value eq "${userName(pick(i))}"`)}` },
    { id: `external-id-${concurrency}`, name: `externalId eq, ${concurrency} conn.`, method: 'GET', concurrency, p99Ms, baselines: [STORE], path: (i) => `/Users?filter=${q(`externalId eq "${externalId(pick(i))}"`)}` },
  ];
  const page = (id: string, name: string, query: string, memory?: number): Scenario =>
    ({ id, name, method: 'GET', concurrency: 8, p99Ms: 50, baselines: memory === undefined ? [STORE] : [STORE, { kind: 'memory', minRatio: memory }], path: () => `/Users?${query}` });
  return [
    ...lookups(1, 5),
    ...lookups(8),
    page('page-first', 'Page of 100: first', 'startIndex=1&count=100', 0.5),
    page('page-middle', 'Page of 100: middle (startIndex N/2)', `startIndex=${middle}&count=100`, 0.5),
    page('page-last', 'Page of 100: last', `startIndex=${last}&count=100`, 0.5),
    page('page-middle-sorted', 'Page of 100: middle, sortBy userName', `sortBy=userName&startIndex=${middle}&count=100`),
    page('page-cursor', 'Page of 100: cursor at depth N/2, sortBy userName', `sortBy=userName&count=100&cursor=${q(deepCursor)}`),
    { id: 'co-family-name', name: 'name.familyName co (5 letters, few users), 1 conn.', method: 'GET', concurrency: 1, p99Ms: 50, baselines: [STORE], path: () => `/Users?filter=${q(`name.familyName co "${fragment}"`)}` },
    { id: 'co-user-name', name: 'userName co (5 letters, few users), 1 conn.', method: 'GET', concurrency: 1, p99Ms: 50, baselines: [STORE], path: () => `/Users?filter=${q(`userName co "${fragment}"`)}` },
    { id: 'get-id', name: 'GET /Users/{id}', method: 'GET', concurrency: 8, baselines: [STORE, { kind: 'memory', minRatio: 0.6 }], path: (i) => `/Users/${seeded.sample[(i * 7919) % seeded.sample.length][1]}` },
    { id: 'group-lookup', name: 'Group lookup: displayName eq, excludedAttributes=members', method: 'GET', concurrency: 8, baselines: [], path: () => `/Groups?excludedAttributes=members&filter=${q(`displayName eq "${seeded.bigGroupMembers} members"`)}` },
    { id: 'patch-empty', name: 'PATCH add/remove a member: empty group', method: 'PATCH', concurrency: 8, baselines: [], path: () => `/Groups/${seeded.emptyGroupId}`, body: memberChange },
    { id: 'patch-big', name: `PATCH add/remove a member: group of ${seeded.bigGroupMembers.toLocaleString('en')}`, method: 'PATCH', concurrency: 8, baselines: [], comparedWith: { id: 'patch-empty', minRatio: 0.5 }, path: () => `/Groups/${seeded.bigGroupId}`, body: memberChange },
    { id: 'post-user', name: 'POST /Users', method: 'POST', concurrency: 8, baselines: [STORE], path: () => '/Users', body: (i) => userBody(n + i, `posted.${process.hrtime.bigint()}.${i}@example.com`) },
  ];
}
