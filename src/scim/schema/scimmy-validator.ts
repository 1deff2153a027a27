import SCIMMY from 'scimmy';
import type { AttributeDefinition, ResourceType, SchemaDefinition } from './definitions';
import { invalidValue } from '../errors';
import { checkSizes, isGroupMembers, type ResourceLimits } from './resource-limits';
import { lenientResource } from '../values/idp-leniency';
import { withKnownAttributes } from './unknown-attributes';
import { isJsonObject, type Json, type JsonObject } from '../values/json';

type ScimmyAttribute = InstanceType<typeof SCIMMY.Types.Attribute>;
type ScimmyDefinition = InstanceType<typeof SCIMMY.Types.SchemaDefinition>;

/**
 * Inbound validation is scimmy's job: the schema JSON files are turned into scimmy
 * SchemaDefinitions once, and every write body is coerced through them (types, required
 * attributes, multi-valued shapes, case-insensitive attribute names → canonical names).
 *
 * Before scimmy sees a body, the documented deviations of identity providers are read the way
 * they are meant, by the schema (values/idp-leniency): Entra's `"active": "True"` is a boolean
 * and its `"manager": "<id>"` is `{"value": "<id>"}`. Unknown URNs in `schemas` (Entra adds
 * its own to groups) are ignored: the response lists the schemas the stored attributes use.
 * Attribute names the schemas do not define are refused first (unknown-attributes), since
 * scimmy would drop them without a word; an extension URN the server does not know is ignored.
 *
 * Two deliberate departures from a literal mapping:
 *  - readOnly attributes become scimmy "out" attributes, so values a client sends for them are
 *    ignored, as RFC 7644 §3.5.1 requires for PUT (and IdPs send id, meta, groups back);
 *  - canonicalValues are not passed on: RFC 7643 §2.4 makes them suggestions, and scimmy would
 *    reject `"type": "mobile"` on an email, or any value where a schema lists none ([]).
 *
 * With `limits`, a body is measured before scimmy sees it (resource-limits): a 5 MB userName or
 * 100,000 emails are refused after one linear pass instead of being coerced and stored.
 */
export interface ResourceValidator {
  /** Returns the canonical attributes of a write body; throws invalidValue naming the problem. */
  validate(body: JsonObject): JsonObject;
  /** The limits `validate` applies, for PATCH to hold between its operations too; undefined: none. */
  readonly limits?: ResourceLimits;
}

export function scimmyValidator(resourceType: ResourceType, limits?: ResourceLimits): ResourceValidator {
  // Only the three numbers are kept (the caller may pass the whole configuration).
  const bounds = limits && { maxMultiValues: limits.maxMultiValues, maxStringLength: limits.maxStringLength, maxNameLength: limits.maxNameLength };
  const definition = toScimmyDefinition(resourceType.core);
  for (const extension of resourceType.extensions) definition.extend(toScimmyDefinition(extension.schema), extension.required);
  // scimmy takes "" (or blanks) as a value for a required string: a user named "" is no user.
  const requiredStrings = resourceType.core.attributes.filter((a) => a.required && a.type === 'string' && !a.multiValued).map((a) => a.name);
  return {
    limits: bounds,
    validate(body) {
      if (bounds) checkSizes(resourceType, body, bounds);
      const { members, rest } = takeMembers(resourceType, body);
      let data: JsonObject;
      try {
        data = plain(definition.coerce(withoutNulls(lenientResource(resourceType, withKnownAttributes(resourceType, rest))), 'in'));
      } catch (error) {
        if (error instanceof TypeError || error instanceof SCIMMY.Types.Error) throw invalidValue(readable(error.message));
        throw error;
      }
      for (const name of requiredStrings) {
        const value = data[name];
        if (typeof value === 'string' && value.trim() === '') throw invalidValue(`Required attribute '${name}' must not be empty`);
      }
      return members === undefined ? data : { ...data, members };
    },
  };
}

/**
 * A group's members pass by scimmy as sent: coercing 100,000 of them took two seconds of the
 * event loop, and the group endpoint checks each one itself (memberIds) before the store does.
 */
function takeMembers(resourceType: ResourceType, body: JsonObject): { members?: Json; rest: JsonObject } {
  const key = Object.keys(body).find((k) => isGroupMembers(resourceType, k));
  if (key === undefined) return { rest: body };
  const { [key]: members, ...rest } = body;
  return { members, rest };
}

function toScimmyDefinition(schema: SchemaDefinition): ScimmyDefinition {
  return new SCIMMY.Types.SchemaDefinition(schema.name, schema.id, schema.description ?? '', schema.attributes.map(toScimmyAttribute));
}

function toScimmyAttribute(attribute: AttributeDefinition): ScimmyAttribute {
  const config = {
    multiValued: attribute.multiValued,
    description: attribute.description ?? '',
    required: attribute.required,
    caseExact: attribute.type === 'binary' ? true : attribute.caseExact ?? false,
    mutable: attribute.mutability === 'readOnly' ? false : attribute.mutability,
    returned: attribute.returned,
    uniqueness: attribute.type === 'binary' ? 'none' : attribute.uniqueness ?? 'none',
    direction: attribute.mutability === 'readOnly' ? 'out' : attribute.mutability === 'writeOnly' ? 'in' : 'both',
    ...(attribute.referenceTypes ? { referenceTypes: [...attribute.referenceTypes] } : {}),
  };
  const subAttributes = (attribute.subAttributes ?? []).map(toScimmyAttribute);
  return new SCIMMY.Types.Attribute(attribute.type, attribute.name, config as never, subAttributes);
}

/** scimmy returns proxies and getter-backed objects; stored data must be plain JSON. */
function plain(coerced: unknown): JsonObject {
  const json = JSON.parse(JSON.stringify(coerced)) as unknown;
  if (!isJsonObject(json)) throw invalidValue('The request body must be a JSON object');
  delete json.schemas;
  delete json.meta;
  delete json.id;
  return json;
}

/** scimmy's messages name the attribute; make them read as a sentence to the client. */
const readable = (message: string) => message.replace(/ in SchemaDefinition instance$/, '').replace(/^Expected 'data' parameter to be an object.*/, 'The request body must be a JSON object');

/** RFC 7643 §2.5: null means unassigned. Dropped up front, so a required attribute sent as null reads as missing. */
function withoutNulls(body: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === null) continue;
    out[key] = key.toLowerCase().startsWith('urn:') && isJsonObject(value) ? withoutNulls(value) : value;
  }
  return out;
}
