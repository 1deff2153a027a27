import fc from 'fast-check';
import { ACCOUNT_URN, ENTERPRISE_URN, GROUP_URN, LOCALIZATION_URN, USER_URN, userBody } from '../../support/test-app';
import { anyCase, type ResourceKind } from './attribute-paths';
import { jsonShape } from './json';
import { valueFor, type KnownIds } from './values';

/**
 * Bodies for POST and PUT: a valid user or group with a few random values put at random places
 * (any JSON, or a value that fits the attribute), or a random JSON value as the whole body.
 * Names hold RUN, which the property replaces with something unique before sending, so that
 * uniqueness is not what refuses most bodies.
 */
const RUN = '{run}';

/** Replaces RUN in every string of a body. */
export const stamp = (body: unknown, tag: string): unknown =>
  JSON.parse(JSON.stringify(body ?? null).split(RUN).join(tag));

type Key = string | number;
const REMOVE = '(remove)';
export interface Mutation {
  readonly at: readonly Key[];
  readonly value: unknown;
}

/** Sets (or, for REMOVE, deletes) the value at `at`, making the containers on the way. */
export function applyMutations(body: unknown, mutations: readonly Mutation[]): unknown {
  const root = structuredClone(body) as Record<Key, unknown>;
  for (const { at, value } of mutations) {
    let node: any = root;
    for (const [i, key] of at.slice(0, -1).entries()) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = typeof at[i + 1] === 'number' ? [] : {};
      node = node[key];
    }
    const last = at[at.length - 1];
    if (value === REMOVE) delete node[last];
    else node[last] = value;
  }
  return root;
}

const USER_LOCATIONS: readonly (readonly Key[])[] = [
  ['userName'], ['name'], ['name', 'givenName'], ['name', 'familyName'], ['displayName'], ['active'], ['password'], ['title'],
  ['emails'], ['emails', 0], ['emails', 0, 'value'], ['emails', 0, 'primary'], ['emails', 1], ['phoneNumbers'], ['addresses', 0, 'locality'],
  ['roles'], ['x509Certificates'], ['schemas'], ['schemas', 0], ['id'], ['meta'], ['groups'], ['externalId'], ['timezone'], ['locale'],
  [ENTERPRISE_URN], [ENTERPRISE_URN, 'manager'], [ENTERPRISE_URN, 'employeeNumber'], [ENTERPRISE_URN, 'manager', 'value'],
  [ACCOUNT_URN], [ACCOUNT_URN, 'status'], [ACCOUNT_URN, 'accountType'], [ACCOUNT_URN, 'roles'], [ACCOUNT_URN, 'activatedAt'],
  [LOCALIZATION_URN], [LOCALIZATION_URN, 'dateTimeFormat'], [`${ACCOUNT_URN}:status`], ['name.givenName'],
];
const GROUP_LOCATIONS: readonly (readonly Key[])[] = [
  ['displayName'], ['members'], ['members', 0], ['members', 0, 'value'], ['members', 0, 'type'], ['members', 1, 'value'],
  ['schemas'], ['id'], ['meta'], ['externalId'], [USER_URN], [ACCOUNT_URN, 'status'],
];

/** Where a value goes: a known location (names in any case), or a key no schema has. */
const location = (kind: ResourceKind): fc.Arbitrary<readonly Key[]> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...(kind === 'User' ? USER_LOCATIONS : GROUP_LOCATIONS)).chain((at) => fc.tuple(...at.map((k) => (typeof k === 'string' ? anyCase(k) : fc.constant(k))))), weight: 6 },
    { arbitrary: fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.nat(2)), { minLength: 1, maxLength: 3 }), weight: 1 },
  );

const mutation = (kind: ResourceKind, ids: KnownIds): fc.Arbitrary<Mutation> =>
  location(kind).chain((at) =>
    fc.oneof(
      { arbitrary: valueFor(String(at[at.length - 1]), ids), weight: 3 },
      { arbitrary: jsonShape, weight: 2 },
      { arbitrary: fc.constant(REMOVE), weight: 1 },
    ).map((value) => ({ at, value })));

/**
 * Valid optional parts of a user, so the valid base is not always the same minimal user. A
 * password is rare: hashing it (scrypt) costs more than the rest of the request.
 */
const userExtras = fc.record(
  {
    displayName: fc.constantFrom('Ann Example', 'Zoë'),
    active: fc.boolean(),
    password: fc.constantFrom(undefined, undefined, undefined, 'correct horse battery'),
    phoneNumbers: fc.constant([{ value: '+49 30 1', type: 'work' }]),
    [ENTERPRISE_URN]: fc.constant({ employeeNumber: '7', department: 'Sales' }),
    [ACCOUNT_URN]: fc.constantFrom({ accountType: 'ConfigAdmin', roles: ['Reports'] }, { accountType: 'External' }, { status: 'Pending' }),
    [LOCALIZATION_URN]: fc.constant({ dateTimeFormat: 'Y/m/d' }),
  },
  { requiredKeys: [] },
);

const validBase = (kind: ResourceKind, ids: KnownIds): fc.Arbitrary<unknown> =>
  kind === 'User'
    ? userExtras.map((extras) => ({ ...userBody(`prop.${RUN}`), ...extras }))
    : fc.subarray([...ids.userIds]).map((members) => ({ schemas: [GROUP_URN], displayName: `Group ${RUN}`, members: members.map((value) => ({ value })) }));

/** The body to send; `current` stands for the resource as the server last served it (a PUT of what was read). */
export interface WriteBody {
  readonly base: 'valid' | 'current' | 'any';
  readonly body: unknown;
  readonly mutations: readonly Mutation[];
}

export const writeBody = (kind: ResourceKind, ids: KnownIds, { current }: { current: boolean }): fc.Arbitrary<WriteBody> =>
  fc.oneof(
    { arbitrary: fc.tuple(validBase(kind, ids), fc.array(mutation(kind, ids), { maxLength: 3 })).map(([body, mutations]) => ({ base: 'valid' as const, body, mutations })), weight: 6 },
    ...(current ? [{ arbitrary: fc.array(mutation(kind, ids), { maxLength: 3 }).map((mutations) => ({ base: 'current' as const, body: undefined, mutations })), weight: 4 }] : []),
    { arbitrary: jsonShape.map((body) => ({ base: 'any' as const, body, mutations: [] })), weight: 1 },
  );

/** The body a WriteBody stands for, given the resource as currently served. */
export const bodyOf = (write: WriteBody, currentResource: unknown, tag: string): unknown =>
  stamp(applyMutations(write.base === 'current' ? currentResource : write.body, write.mutations), tag);
