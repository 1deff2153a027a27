import fc from 'fast-check';
import { ACCOUNT_URN, ENTERPRISE_URN, LOCALIZATION_URN, PATCH_URN, USER_URN } from '../../support/test-app';
import { anyCase, attributePath, malformedPath, realPaths, subAttributeOf, valuePathTargets, type ResourceKind } from './attribute-paths';
import { valueFilter } from './filters';
import { jsonShape } from './json';
import { valueFor, type KnownIds } from './values';

/**
 * RFC 7644 §3.5.2 PatchOp bodies: add/replace/remove in any case (and ops that do not exist),
 * paths from the schemas (plain, URN-qualified, sub-attributes, value filters with an optional
 * sub-attribute, malformed), values fitting the path or any JSON, and no-path values with plain,
 * dotted and URN-prefixed keys.
 */

/** `attr[filter]` or `attr[filter].sub`, with filters that name real data half of the time. */
const valueFilterPath = (kind: ResourceKind, ids: KnownIds): fc.Arbitrary<string> =>
  fc.constantFrom(...valuePathTargets[kind]).chain(({ attribute, subAttributes }) => {
    const realFilter = fc.oneof(
      fc.constantFrom('type eq "work"', 'type eq "home"', 'primary eq true', 'value co "@"', 'type eq "work" and primary eq true'),
      fc.constantFrom(...ids.userIds, ids.deletedUserId).map((id) => `value eq "${id}"`),
    );
    return fc.tuple(
      anyCase(attribute),
      fc.oneof(realFilter, valueFilter(subAttributes)),
      fc.option(subAttributeOf(subAttributes).map((sub) => `.${sub}`), { nil: '' }),
    ).map(([name, filter, sub]) => `${name}[${filter}]${sub}`);
  });

const patchPath = (kind: ResourceKind, ids: KnownIds): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: attributePath(kind), weight: 8 },
    { arbitrary: valueFilterPath(kind, ids), weight: 4 },
    { arbitrary: malformedPath, weight: 1 },
  );

const EXTENSIONS = [ENTERPRISE_URN, ACCOUNT_URN, LOCALIZATION_URN];

/** A key of a no-path value: `userName`, `name.givenName`, `urn:…:Account:status`, an extension URN, or noise. */
const noPathKey = (kind: ResourceKind) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...realPaths[kind].filter((p) => !p.startsWith('meta'))).chain(anyCase), weight: 6 },
    { arbitrary: kind === 'User' ? fc.constantFrom(...EXTENSIONS) : fc.constant('urn:ietf:params:scim:schemas:core:2.0:Group'), weight: 2 },
    { arbitrary: fc.string({ maxLength: 10 }), weight: 1 },
  );

/** An extension object, keyed by its own attribute names: `{"urn:…:Account": {"status": "Inactive"}}`. */
const extensionValue = (urn: string, ids: KnownIds) =>
  fc.constantFrom(...realPaths.User.filter((p) => p.startsWith(`${urn}:`)).map((p) => p.slice(urn.length + 1)))
    .chain((name) => fc.tuple(fc.constant(name), valueFor(name, ids)))
    .map(([name, value]) => ({ [name]: value }));

const noPathValue = (kind: ResourceKind, ids: KnownIds) =>
  fc.array(
    noPathKey(kind).chain((key) => fc.tuple(fc.constant(key), EXTENSIONS.includes(key) ? extensionValue(key, ids) : valueFor(key, ids))),
    { minLength: 1, maxLength: 3 },
  ).map((entries) => Object.fromEntries(entries));

/**
 * One operation. Mostly well-formed (add/replace with a value that fits the path or, without a
 * path, an object of attributes; remove with a path), so that most PATCHes get past parsing and
 * exercise the account rules; sometimes anything at all in op, path and value.
 */
const patchOperation = (kind: ResourceKind, ids: KnownIds): fc.Arbitrary<unknown> => {
  const noPath = fc.oneof({ arbitrary: noPathValue(kind, ids), weight: 5 }, { arbitrary: jsonShape, weight: 1 });
  const write = fc.tuple(fc.constantFrom('add', 'replace').chain(anyCase), fc.option(patchPath(kind, ids), { nil: undefined, freq: 3 }))
    .chain(([op, path]) => (path === undefined ? noPath : valueFor(path, ids)).map((value) => ({ op, ...(path === undefined ? {} : { path }), value })));
  const remove = fc.tuple(anyCase('remove'), patchPath(kind, ids))
    .chain(([op, path]) => fc.option(valueFor(path, ids), { nil: undefined, freq: 4 }).map((value) => ({ op, path, ...(value === undefined ? {} : { value }) })));
  const odd = fc.record({ op: fc.oneof(fc.constantFrom('add', 'Remove', 'copy', 'move', 'test', '', ' add'), jsonShape), path: fc.oneof(malformedPath, jsonShape), value: jsonShape }, { requiredKeys: [] });
  return fc.oneof({ arbitrary: write, weight: 15 }, { arbitrary: remove, weight: 5 }, { arbitrary: odd, weight: 1 });
};

/** A PatchOp body: usually well-formed around one operation or a few, sometimes not a PatchOp at all. */
export const patchRequestBody = (kind: ResourceKind, ids: KnownIds): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: patchOperation(kind, ids).map((operation) => ({ schemas: [PATCH_URN], Operations: [operation] })), weight: 14 },
    { arbitrary: fc.array(patchOperation(kind, ids), { minLength: 2, maxLength: 3 }).map((Operations) => ({ schemas: [PATCH_URN], Operations })), weight: 6 },
    { arbitrary: fc.record({ schemas: fc.oneof(fc.constant([PATCH_URN]), fc.constant([USER_URN]), jsonShape), Operations: fc.oneof(fc.array(patchOperation(kind, ids), { maxLength: 2 }), jsonShape) }, { requiredKeys: [] }), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
  );
