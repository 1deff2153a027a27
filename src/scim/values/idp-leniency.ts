import { ScimError } from '../errors';
import { parseAttributePath } from '../path/parse-path';
import type { AttributeDefinition, ResourceType } from '../schema/definitions';
import { leafOf, resolveAttribute } from '../schema/resolve-attribute';
import { isJsonObject, type Json, type JsonObject } from './json';

/**
 * Documented deviations of identity providers from RFC 7643, read the way the provider means
 * them, with no configuration. Only the schema decides: a value is rewritten only when the
 * attribute it is written to has the type the deviation stands for, so a string attribute
 * that happens to hold "True" is never touched, and a value that fits neither form is left
 * for the validator to refuse.
 *
 *  - Booleans as strings: Microsoft Entra ID (without the aadOptscim062020 flag) sends
 *    `"active": "True"`, `"primary": "false"`. For an attribute of type boolean, the strings
 *    "true" and "false" in any case are those booleans (as the filter parser already reads them).
 *  - A bare string for a singular complex attribute with a `value` sub-attribute: Entra sends the
 *    enterprise `manager` as `"manager": "<id>"`. It means `{"value": "<id>"}`, and it is stored
 *    and returned as that object. A bare "" (or whitespace) means no value, like null.
 */

const BOOLEAN_TEXT = /^(true|false)$/i;

const findSub = (definition: AttributeDefinition, name: string) =>
  definition.subAttributes?.find((s) => s.name.toLowerCase() === name.toLowerCase());

/** True when a string written to `definition` stands for `{value: string}`. */
export const takesBareValue = (definition: AttributeDefinition): boolean =>
  definition.type === 'complex' && !definition.multiValued && findSub(definition, 'value') !== undefined;

/**
 * One value written to an attribute, as the attribute's type means it: an array is taken
 * element by element for a multi-valued attribute; the sub-attributes of a complex value are
 * taken by their own definitions (names matched in any case, as RFC 7643 §2.1 has them).
 */
export function lenientValue(definition: AttributeDefinition, value: Json): Json {
  if (definition.multiValued && Array.isArray(value)) return value.map((element) => lenientElement(definition, element));
  return lenientElement(definition, value);
}

function lenientElement(definition: AttributeDefinition, value: Json): Json {
  if (typeof value === 'string') {
    if (definition.type === 'boolean' && BOOLEAN_TEXT.test(value)) return value.toLowerCase() === 'true';
    if (takesBareValue(definition)) return value.trim() === '' ? null : { [findSub(definition, 'value')!.name]: value };
    return value;
  }
  if (definition.type !== 'complex' || !isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const sub = findSub(definition, key);
    out[key] = sub && item !== null ? lenientValue(sub, item) : item;
  }
  return out;
}

/**
 * A POST or PUT body (or a PATCH result) with every attribute value read as {@link lenientValue}
 * reads it. Keys are matched as scimmy matches them: core and common attribute names in any
 * case, an extension URN holding an object of that extension's attributes, and URN-qualified
 * attribute names (`urn:…:enterprise:2.0:User:manager`). Other keys are left as they are.
 */
export function lenientResource(resourceType: ResourceType, body: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    const extension = resourceType.extensions.find((e) => e.schema.id.toLowerCase() === key.toLowerCase());
    if (extension) {
      out[key] = isJsonObject(value) ? lenientAttributes(extension.schema.attributes, value) : value;
      continue;
    }
    const definition = value === null || key.toLowerCase() === 'schemas' ? undefined : definitionOf(resourceType, key);
    out[key] = definition ? lenientValue(definition, value) : value;
  }
  return out;
}

function lenientAttributes(attributes: readonly AttributeDefinition[], object: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    const definition = attributes.find((a) => a.name.toLowerCase() === key.toLowerCase());
    out[key] = definition && value !== null ? lenientValue(definition, value) : value;
  }
  return out;
}

/** The definition a top-level body key names, or undefined (unknown names are the validator's business). */
function definitionOf(resourceType: ResourceType, key: string): AttributeDefinition | undefined {
  let path;
  try {
    path = parseAttributePath(key);
  } catch (error) {
    if (error instanceof ScimError) return undefined;
    throw error;
  }
  // A body key is an attribute, never `name.givenName`: a dotted key is no attribute of a body.
  if (path.subAttribute !== undefined) return undefined;
  const resolved = resolveAttribute(resourceType, path);
  return resolved ? leafOf(resolved) : undefined;
}
