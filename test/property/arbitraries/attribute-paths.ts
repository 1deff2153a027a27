import fc from 'fast-check';
import { ACCOUNT_URN, ENTERPRISE_URN, GROUP_URN, LOCALIZATION_URN, USER_URN } from '../../support/test-app';

/**
 * Attribute paths as clients write them (RFC 7644 §3.10): the real ones of /Schemas, plain and
 * URN-qualified, in any case, and names no schema has. Filters, sortBy, attributes and PATCH
 * paths all draw from here, so every endpoint sees the same vocabulary.
 */
export type ResourceKind = 'User' | 'Group';

const COMMON = ['id', 'externalId', 'schemas', 'meta', 'meta.created', 'meta.lastModified', 'meta.resourceType', 'meta.location', 'meta.version'];

const USER_CORE = [
  'userName', 'name', 'name.givenName', 'name.familyName', 'name.formatted', 'name.middleName', 'name.honorificPrefix',
  'displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone', 'active', 'password',
  'emails', 'emails.value', 'emails.type', 'emails.primary', 'emails.display',
  'phoneNumbers', 'phoneNumbers.value', 'phoneNumbers.type', 'ims.value', 'photos', 'photos.value',
  'addresses', 'addresses.locality', 'addresses.postalCode', 'addresses.primary', 'addresses.type',
  'groups', 'groups.value', 'groups.display', 'groups.$ref', 'groups.type',
  'entitlements', 'entitlements.value', 'roles', 'roles.value', 'roles.primary', 'x509Certificates', 'x509Certificates.value',
];
const ENTERPRISE = ['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager', 'manager.value', 'manager.displayName', 'manager.$ref'];
const ACCOUNT = ['status', 'accountType', 'roles', 'activatedAt', 'deactivatedAt'];
const LOCALIZATION = ['dateTimeFormat'];
const GROUP_CORE = ['displayName', 'members', 'members.value', 'members.display', 'members.type', 'members.$ref'];

/** Names no schema defines: unknown attributes, sub-attributes and extensions. */
const UNKNOWN = [
  'foo', 'name.nickname', 'emails.foo', 'members.foo', 'meta.foo', 'x', 'userName.value', 'active.value',
  'urn:ietf:params:scim:schemas:extension:foo:2.0:Bar:baz', `${ACCOUNT_URN}:nope`, `${ENTERPRISE_URN}:manager.foo`,
  `${USER_URN}:members`, `${GROUP_URN}:userName`, 'urn:ietf:params:scim:schemas:core:2.0:Group:displayName',
];

const qualified = (urn: string, names: readonly string[]) => names.map((name) => `${urn}:${name}`);

/** Every real path of a resource type, plain (core only) and URN-qualified. */
export const realPaths: Record<ResourceKind, readonly string[]> = {
  User: [
    ...COMMON, ...USER_CORE, ...qualified(USER_URN, USER_CORE.slice(0, 12)),
    ...qualified(ENTERPRISE_URN, ENTERPRISE), ...qualified(ACCOUNT_URN, ACCOUNT), ...qualified(LOCALIZATION_URN, LOCALIZATION),
  ],
  Group: [...COMMON, ...GROUP_CORE, ...qualified(GROUP_URN, GROUP_CORE)],
};

/** Multi-valued complex attributes with the sub-attributes a value filter may test. */
export const valuePathTargets: Record<ResourceKind, readonly { attribute: string; subAttributes: readonly string[] }[]> = {
  User: [
    { attribute: 'emails', subAttributes: ['value', 'type', 'primary', 'display'] },
    { attribute: 'phoneNumbers', subAttributes: ['value', 'type', 'primary'] },
    { attribute: 'addresses', subAttributes: ['locality', 'type', 'primary', 'country'] },
    { attribute: 'roles', subAttributes: ['value', 'primary'] },
    { attribute: 'groups', subAttributes: ['value', 'display', 'type'] },
    { attribute: 'x509Certificates', subAttributes: ['value'] },
    { attribute: `${ENTERPRISE_URN}:manager`, subAttributes: ['value', 'displayName'] },
    { attribute: `${ACCOUNT_URN}:roles`, subAttributes: ['value'] },
    { attribute: 'name', subAttributes: ['givenName', 'familyName'] },
    { attribute: 'userName', subAttributes: ['value'] },
  ],
  Group: [
    { attribute: 'members', subAttributes: ['value', 'display', 'type', '$ref'] },
    { attribute: 'displayName', subAttributes: ['value'] },
  ],
};

/** A string in a random mixture of upper and lower case: attribute names are case-insensitive. */
export const anyCase = (text: string): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: fc.constant(text), weight: 3 }, { arbitrary: fc.mixedCase(fc.constant(text)), weight: 1 });

/** A real path of the type (or sometimes of the other type), or an unknown one, in any case. */
export const attributePath = (kind: ResourceKind): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...realPaths[kind]), weight: 6 },
    { arbitrary: fc.constantFrom(...realPaths[kind === 'User' ? 'Group' : 'User']), weight: 1 },
    { arbitrary: fc.constantFrom(...UNKNOWN), weight: 1 },
  ).chain(anyCase);

/** A sub-attribute name of a value-path target, or one it does not have. */
export const subAttributeOf = (subAttributes: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: fc.constantFrom(...subAttributes), weight: 5 }, { arbitrary: fc.constantFrom('foo', 'members', 'userName'), weight: 1 }).chain(anyCase);

/** Text that looks like a path but is not one: stray punctuation, bad URNs, empty segments. */
export const malformedPath: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '.', 'name.', '.name', 'name..givenName', 'name.givenName.x', 'urn:', 'urn:x', ':userName', 'emails[', 'emails]',
    'emails[type eq "work"', 'emails[]', 'emails[type eq "work"].', 'emails[type eq "work"].value.x', '1abc', 'user name', '$', '"userName"',
    'emails[type eq "work"][value eq "x"]', 'emails[members[value eq "x"]]', 'name[givenName eq "x"]', 'urn:ietf:params:scim:schemas:core:2.0:User:'),
  fc.string({ maxLength: 20 }),
);
