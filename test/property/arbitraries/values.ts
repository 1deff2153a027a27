import fc from 'fast-check';
import { anyCase } from './attribute-paths';
import { jsonShape, scimString } from './json';

/**
 * Values for an attribute, by the name of its last segment: mostly what the schema expects
 * (right type, canonical values in any case, a few just outside), sometimes any JSON at all.
 * `ids` are ids of existing users and groups, so member and manager values can name real ones.
 */
export interface KnownIds {
  readonly userIds: readonly string[];
  readonly groupIds: readonly string[];
  /** A soft-deleted user: hidden, but its id still exists. */
  readonly deletedUserId: string;
}

const nameLike = fc.oneof(
  { arbitrary: fc.constantFrom('Ann', 'Bob', 'Zoë', 'van der Berg', 'O\'Neil', '李'), weight: 3 },
  { arbitrary: scimString, weight: 2 },
);
const boolLike = fc.oneof(fc.boolean(), fc.constantFrom('True', 'false', 'FALSE', 'yes', 1, 0, null));
const emailLike = fc.oneof(fc.emailAddress(), fc.constantFrom('a@example.com', 'not-an-email', ''));

const multi = (element: fc.Arbitrary<unknown>) => fc.oneof(
  { arbitrary: fc.array(element, { maxLength: 3 }), weight: 4 },
  { arbitrary: element, weight: 1 },
  { arbitrary: fc.integer({ min: 99, max: 102 }).chain((n) => fc.array(element, { minLength: n, maxLength: n })), weight: 1 },
);

const typed = (value: fc.Arbitrary<unknown>, types: readonly string[]) =>
  fc.record({ value, type: fc.constantFrom(...types, 'other', 'Weird').chain(anyCase), primary: boolLike, display: nameLike }, { requiredKeys: ['value'] });

const idOf = (ids: KnownIds) => fc.oneof(
  { arbitrary: fc.constantFrom(...ids.userIds), weight: 4 },
  { arbitrary: fc.constantFrom(...ids.groupIds, ids.deletedUserId), weight: 1 },
  { arbitrary: fc.constantFrom('no-such-id', '', 'bulkId:u1'), weight: 1 },
);

const member = (ids: KnownIds) => fc.record(
  { value: idOf(ids), display: nameLike, type: fc.constantFrom('User', 'Group', 'user'), $ref: fc.constantFrom(null, 'https://example.com/Users/x') },
  { requiredKeys: ['value'] },
);

/** Plausible values keyed by attribute name (lower case). */
function plausible(ids: KnownIds): Record<string, fc.Arbitrary<unknown>> {
  return {
    username: nameLike,
    displayname: nameLike,
    givenname: nameLike,
    familyname: nameLike,
    nickname: nameLike,
    title: nameLike,
    name: fc.record({ givenName: nameLike, familyName: nameLike, formatted: nameLike }, { requiredKeys: [] }),
    active: boolLike,
    password: fc.oneof(fc.constantFrom('short', 'long enough secret', ''), scimString),
    emails: multi(typed(emailLike, ['work', 'home'])),
    phonenumbers: multi(typed(fc.constantFrom('+49 30 1', '555'), ['work', 'mobile'])),
    addresses: multi(fc.record({ locality: nameLike, country: fc.constantFrom('DE', 'XX'), type: fc.constantFrom('work', 'home'), primary: boolLike }, { requiredKeys: [] })),
    roles: multi(fc.oneof(fc.constantFrom('Reports', 'Workflows', 'reports', ''), scimString, typed(scimString, ['x']))),
    entitlements: multi(typed(scimString, ['x'])),
    x509certificates: multi(typed(fc.constantFrom('TUlJQw==', 'not base64!'), ['x'])),
    status: fc.constantFrom('Created', 'Pending', 'Active', 'Inactive', 'Deleted').chain(anyCase),
    accounttype: fc.constantFrom('Internal', 'External', 'ConfigAdmin', 'SuperAdmin', 'OneTimeCompletion', 'Root').chain(anyCase),
    datetimeformat: fc.constantFrom('m/d/Y', 'd/m/Y H:i', 'Y/m/d', 'dd.mm.yyyy'),
    timezone: fc.constantFrom('Europe/Berlin', 'UTC', 'Mars/Olympus', 'europe/berlin'),
    locale: fc.constantFrom('en-US', 'en_US', 'de', 'xx-!!', ''),
    preferredlanguage: fc.constantFrom('en-US', 'da, en-gb;q=0.8', '!!'),
    manager: fc.oneof(idOf(ids), fc.record({ value: idOf(ids), displayName: nameLike }, { requiredKeys: [] })),
    members: multi(member(ids)),
    value: fc.oneof(idOf(ids), emailLike, scimString),
    externalid: scimString,
    activatedat: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    id: idOf(ids),
    schemas: fc.constantFrom(['urn:ietf:params:scim:schemas:core:2.0:User'], [], 'x'),
  };
}

/** A value for the attribute a path ends in (`emails[type eq "work"].value` → value), or any JSON. */
export function valueFor(path: string | undefined, ids: KnownIds): fc.Arbitrary<unknown> {
  const table = plausible(ids);
  const leaf = (path ?? '').replace(/\[.*\]/, '').split(/[.:]/).pop()!.toLowerCase();
  const known = table[leaf];
  return known ? fc.oneof({ arbitrary: known, weight: 8 }, { arbitrary: jsonShape, weight: 1 }) : jsonShape;
}
