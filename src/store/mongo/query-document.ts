import { commonAttributes, type AttributeDefinition, type ResourceType, type SchemaDefinition } from '../../scim/schema/definitions';
import { parseDateTime } from '../../scim/values/date-time';
import { foldCase } from '../../scim/values/fold-case';
import { isJsonObject, type Json, type JsonObject } from '../../scim/values/json';

/**
 * The `q` copy of a resource's attributes (see documents.ts): the same shape as `data`, with
 *   - every string of an attribute or sub-attribute that is not caseExact replaced by foldCase(value),
 *     so filters compare folded operands with ordinary equality, ranges and anchored regexes (and
 *     indexes on `q.*` serve them); caseExact strings, numbers and booleans are unchanged;
 *   - every dateTime string normalised to its ISO-8601 UTC form (parseDateTime), so text order is
 *     time order whatever zone the client wrote (an unparseable one is kept as written);
 *   - keys renamed to the definition's canonical name (data may spell them in any case), and
 *     encoded with encodeKey so that every key is addressable by a dotted path.
 *
 * KEY ENCODING. MongoDB (and mingo) split field paths on ".", so the URN key
 * "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" cannot be named in a query: its
 * "2.0" reads as two levels. Keys starting with "$" (the `$ref` sub-attributes) are reserved for
 * operators. encodeKey percent-escapes exactly those characters ("%" → "%25", "." → "%2E", a
 * leading "$" → "%24"), which is reversible and collision-free; colons are ordinary characters.
 * So the enterprise department is `q.urn:ietf:params:scim:schemas:extension:enterprise:2%2E0:User.department`
 * and a manager's reference `q.urn:…:2%2E0:User.manager.%24ref`. `data` keeps the real keys.
 *
 * No derived fields: the filter compiler needs nothing beyond these folded copies and the
 * document's own `_id`, `created`, `lastModified`, `userNameKey` and `displayNameKey`; primary-
 * else-first sort values are computed at query time (compile-sort.ts).
 */
export function queryDocument(resourceType: ResourceType, data: JsonObject): JsonObject {
  const q: JsonObject = {};
  for (const [key, value] of Object.entries(data)) {
    const extension = resourceType.extensions.find((e) => sameName(e.schema.id, key))?.schema;
    if (extension && isJsonObject(value)) {
      q[encodeKey(extension.id)] = extensionCopy(extension, value);
      continue;
    }
    const definition = findIn(commonAttributes, key) ?? findIn(resourceType.core.attributes, key);
    q[encodeKey(definition?.name ?? key)] = definition ? attributeCopy(definition, value) : encodedCopy(value);
  }
  return q;
}

/** Makes one attribute name (or URN) usable as a single segment of a dotted field path. */
export const encodeKey = (key: string): string =>
  key.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/^\$/, '%24');

/** The dotted field path of an attribute's values inside `q`: ["urn:…:2.0:User", "manager", "value"] → "q.urn:…:2%2E0:User.manager.value". */
export const qPath = (jsonPath: readonly string[]): string => ['q', ...jsonPath.map(encodeKey)].join('.');

function extensionCopy(schema: SchemaDefinition, value: JsonObject): JsonObject {
  const copy: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    const definition = findIn(schema.attributes, key);
    copy[encodeKey(definition?.name ?? key)] = definition ? attributeCopy(definition, inner) : encodedCopy(inner);
  }
  return copy;
}

/** One attribute's value: each element of a multi-valued one, each sub-attribute of a complex one. */
function attributeCopy(definition: AttributeDefinition, value: Json): Json {
  if (Array.isArray(value)) return value.map((element) => attributeCopy(definition, element));
  if (definition.type !== 'complex' || !isJsonObject(value)) return leafCopy(definition, value);
  const copy: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    const sub = findIn(definition.subAttributes, key);
    copy[encodeKey(sub?.name ?? key)] = sub ? attributeCopy(sub, inner) : encodedCopy(inner);
  }
  return copy;
}

function leafCopy(definition: AttributeDefinition, value: Json): Json {
  if (typeof value !== 'string') return value;
  if (definition.type === 'dateTime') return parseDateTime(value) ?? value;
  return definition.caseExact === true ? value : foldCase(value);
}

/** An attribute no schema defines is copied as stored, only with its keys made addressable. */
function encodedCopy(value: Json): Json {
  if (Array.isArray(value)) return value.map(encodedCopy);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [encodeKey(key), encodedCopy(inner)]));
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const findIn = (list: readonly AttributeDefinition[] | undefined, name: string) => list?.find((a) => sameName(a.name, name));
