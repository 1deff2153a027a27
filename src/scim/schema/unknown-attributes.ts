import { invalidSyntax } from '../errors';
import { closestName, type NameCandidate } from './closest-name';
import { extensionCandidates, topLevelCandidates } from './name-candidates';
import { commonAttributes, type AttributeDefinition, type ResourceType, type SchemaDefinition } from './definitions';
import { isGroupMembers } from './resource-limits';
import { deepEqual, isJsonObject, type Json, type JsonObject } from '../values/json';

/** Every schema in Roster's own namespace is one Roster defines: an unknown URN there is a typo. */
export const ROSTER_NAMESPACE = 'urn:ietf:params:scim:schemas:extension:roster:';

/** How many unknown names one error lists (and looks for a close name for); the rest are counted. */
const MAX_LISTED = 5;
/** Longest name quoted in a message. */
const MAX_QUOTED = 120;

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const findIn = (list: readonly AttributeDefinition[] | undefined, name: string) => list?.find((a) => sameName(a.name, name));
const startsWith = (text: string, prefix: string) => text.length > prefix.length && sameName(text.slice(0, prefix.length), prefix);

/**
 * A write body with every attribute name checked against the resource type's schemas, before
 * scimmy (which drops what it does not know, so a misspelt `emial` used to vanish in a 201).
 * Names the schemas do not define are refused with 400 invalidSyntax naming each one, with "did
 * you mean …?" when a defined name is close: at the top level, inside Roster's and the enterprise
 * extension objects, and as sub-attributes of complex attributes (`name.givnName`).
 *
 * What is still accepted:
 *  - an extension URN (or any schema URI) the server does not know, with whatever it holds: an
 *    IdP sends its own (`urn:okta:custom:1.0:User`); RFC 7644 lets a server ignore it, and scimmy
 *    drops it. Only URNs in Roster's own namespace are known to be typos;
 *  - read-only attributes (id, meta, groups, a group's members' extra fields) are ignored whatever
 *    they hold, as RFC 7644 §3.5.1 has it for PUT;
 *  - names written in another form than scimmy reads, which are rewritten to it rather than
 *    dropped: a core attribute qualified by the core URN (`urn:…:core:2.0:User:displayName`) or
 *    sent inside a core URN object; an extension attribute without its URN (`accountType`,
 *    when exactly one extension defines it, as paths and filters already read it).
 * The same attribute sent twice in two forms with different values is refused too.
 *
 * One pass over the body's keys and the keys of its complex values: O(body size); close names
 * are looked for only for the first MAX_LISTED unknown ones.
 */
export function withKnownAttributes(resourceType: ResourceType, body: JsonObject): JsonObject {
  const check = new NameCheck(resourceType);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(body)) check.topLevel(out, key, value);
  check.throwIfUnknown();
  return out;
}

class NameCheck {
  private readonly unknown: { text: string; name: string; candidates: () => readonly NameCandidate[] }[] = [];
  private unknownCount = 0;

  constructor(private readonly type: ResourceType) {}

  topLevel(out: JsonObject, key: string, value: Json): void {
    if (sameName(key, 'schemas')) return void (out[key] = value);
    // No attribute name has a colon (RFC 7643 §2.1 ATTRNAME): this is a schema URI or qualified by one.
    if (key.includes(':')) return this.urnKey(out, key, value);
    if (key.includes('.')) return this.dotted(key);
    const core = findIn(commonAttributes, key) ?? findIn(this.type.core.attributes, key);
    if (core) return this.attribute(out, core, key, value, key);
    const holders = this.type.extensions.filter((e) => findIn(e.schema.attributes, key));
    if (holders.length === 1) return this.attribute(this.holder(out, holders[0].schema), findIn(holders[0].schema.attributes, key)!, key, value, key);
    this.addUnknown(key, key, () => topLevelCandidates(this.type));
  }

  throwIfUnknown(): void {
    if (this.unknownCount === 0) return;
    const listed = this.unknown.map(({ text, name, candidates }) => {
      const close = closestName(name, candidates());
      return `${quote(text)}${close ? ` (did you mean ${quote(close)}?)` : ''}`;
    });
    const more = this.unknownCount - listed.length;
    throw invalidSyntax(
      `Unknown attribute${this.unknownCount > 1 ? 's' : ''} of ${this.type.name} resources: ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}. ` +
      'Roster refuses names its schemas (GET /Schemas) do not define rather than drop their values; attributes of extensions it does not know are ignored.',
    );
  }

  private urnKey(out: JsonObject, key: string, value: Json): void {
    const core = this.type.core;
    if (sameName(key, core.id)) {
      if (!isJsonObject(value)) return this.addUnknown(key, key, () => []);
      for (const [name, item] of Object.entries(value)) this.topLevel(out, name, item);
      return;
    }
    const extension = this.type.extensions.find((e) => sameName(e.schema.id, key))?.schema;
    if (extension) {
      if (!isJsonObject(value)) return void (out[extension.id] = value); // scimmy says what is wrong with it
      for (const [name, item] of Object.entries(value)) this.extensionAttribute(out, extension, name, item, `${extension.id}:${name}`);
      return;
    }
    if (startsWith(key, `${core.id}:`)) {
      const name = key.slice(core.id.length + 1);
      const definition = name.includes('.') ? undefined : findIn(commonAttributes, name) ?? findIn(core.attributes, name);
      return definition ? this.attribute(out, definition, name, value, key) : this.addUnknown(key, name, () => topLevelCandidates(this.type));
    }
    const owner = this.type.extensions.find((e) => startsWith(key, `${e.schema.id}:`))?.schema;
    if (owner) return this.extensionAttribute(out, owner, key.slice(owner.id.length + 1), value, key);
    if (startsWith(key, ROSTER_NAMESPACE)) return this.addUnknown(key, key.slice(key.lastIndexOf(':') + 1), () => extensionCandidates(this.type));
    out[key] = value; // an extension this server does not know: ignored (scimmy drops it)
  }

  private extensionAttribute(out: JsonObject, extension: SchemaDefinition, name: string, value: Json, text: string): void {
    const definition = name.includes('.') ? undefined : findIn(extension.attributes, name);
    if (definition) return this.attribute(this.holder(out, extension), definition, name, value, text);
    this.addUnknown(text, name, () => extension.attributes.map((a) => ({ name: a.name, suggestion: `${extension.id}:${a.name}` })));
  }

  /** A defined attribute: its sub-attribute names are checked, then it is put under its canonical name. */
  private attribute(holder: JsonObject, definition: AttributeDefinition, key: string, value: Json, text: string): void {
    if (definition.mutability !== 'readOnly' && !isGroupMembers(this.type, key)) this.subAttributes(definition, value, text);
    if (definition.name in holder && !deepEqual(holder[definition.name], value)) {
      throw invalidSyntax(`Attribute ${quote(text)} is given twice in this request, with different values: send it once`);
    }
    holder[definition.name] = value;
  }

  private subAttributes(definition: AttributeDefinition, value: Json, text: string): void {
    const subs = definition.subAttributes;
    if (definition.type !== 'complex' || !subs) return;
    for (const element of Array.isArray(value) ? value : [value]) {
      if (!isJsonObject(element)) continue; // not an object: scimmy refuses the value itself
      for (const name of Object.keys(element)) {
        if (!findIn(subs, name)) this.addUnknown(`${text}.${name}`, name, () => subs.map((s) => ({ name: s.name, suggestion: `${text}.${s.name}` })));
      }
    }
  }

  /** A dotted name (`name.givenName`) is a path, which PATCH takes; a body nests sub-attributes. */
  private dotted(key: string): void {
    const [top, sub] = key.split('.', 2);
    const definition = findIn(this.type.core.attributes, top);
    const known = definition && findIn(definition.subAttributes, sub);
    if (!known) return this.addUnknown(key, key, () => topLevelCandidates(this.type));
    throw invalidSyntax(`Name ${quote(key)} is a path, not an attribute name: in a POST or PUT body write {"${definition.name}": {"${known.name}": …}}`);
  }

  private holder(out: JsonObject, extension: SchemaDefinition): JsonObject {
    const existing = out[extension.id];
    if (isJsonObject(existing)) return existing;
    if (existing !== undefined && existing !== null) throw invalidSyntax(`Extension ${quote(extension.id)} must be an object of that extension's attributes`);
    return (out[extension.id] = {});
  }

  /** `name` is what is compared with the candidates' names (`text` may be URN-qualified or dotted). */
  private addUnknown(text: string, name: string, candidates: () => readonly NameCandidate[]): void {
    if (++this.unknownCount <= MAX_LISTED) this.unknown.push({ text, name, candidates });
  }
}

function quote(text: string): string {
  const points = [...text.slice(0, 4 * MAX_QUOTED)];
  return JSON.stringify(points.length > MAX_QUOTED ? `${points.slice(0, MAX_QUOTED).join('')}…` : text);
}

/**
 * Whether `name` (a body key or a PATCH path) belongs to a schema the resource type does not
 * have, outside Roster's namespace: an IdP's own extension, which a write ignores.
 */
export function isForeignSchemaName(type: ResourceType, name: string): boolean {
  if (!name.includes(':')) return false;
  const ids = [type.core.id, ...type.extensions.map((e) => e.schema.id)];
  return !ids.some((id) => sameName(name, id) || startsWith(name, `${id}:`)) && !startsWith(name, ROSTER_NAMESPACE);
}
