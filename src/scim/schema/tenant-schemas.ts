import type { AttributeDefinition, SchemaDefinition } from './definitions';
import type { SchemaRegistry } from './registry';

/**
 * What one tenant's rules add to the User schema as the files describe it, so that /Schemas says
 * what the server really requires of that tenant (RFC 7643 §7). The files stay as they are: they
 * describe what every tenant shares, and inbound validation is built from them.
 *
 * Paths are attribute paths of the core User schema (`userName`, `name.givenName`, `emails`).
 */
export interface UserSchemaRules {
  /**
   * Attributes the tenant requires. A sub-attribute's parent becomes required with it; a
   * multi-valued complex attribute's `value` too (an email without an address is no email).
   */
  readonly required: readonly string[];
  /** Attributes that may be set when a user is created but never changed afterwards. */
  readonly immutable: readonly string[];
  /** A sentence appended to an attribute's description (a format the schema cannot express). */
  readonly notes: Readonly<Record<string, string>>;
}

const cache = new WeakMap<SchemaRegistry, Map<string, readonly SchemaDefinition[]>>();

/**
 * The registry's schemas as one tenant sees them. Tenants share a handful of distinct rule sets,
 * so each is derived once per registry and kept: a /Schemas request costs no schema walk.
 */
export function tenantSchemas(registry: SchemaRegistry, rules: UserSchemaRules): readonly SchemaDefinition[] {
  let views = cache.get(registry);
  if (!views) cache.set(registry, (views = new Map()));
  const key = JSON.stringify([[...rules.required].sort(), [...rules.immutable].sort(), Object.entries(rules.notes).sort()]);
  let view = views.get(key);
  if (!view) {
    const userId = registry.user.core.id;
    view = Object.freeze(registry.schemas.map((schema) => (schema.id === userId ? markUser(schema, rules) : schema)));
    views.set(key, view);
  }
  return view;
}

function markUser(schema: SchemaDefinition, rules: UserSchemaRules): SchemaDefinition {
  const lower = (paths: readonly string[]) => new Set(paths.map((path) => path.toLowerCase()));
  const required = lower(rules.required);
  const immutable = lower(rules.immutable);
  const notes = new Map(Object.entries(rules.notes).map(([path, note]) => [path.toLowerCase(), note]));
  // A parent of a required sub-attribute is required: `name.givenName` needs a `name`.
  for (const path of required) if (path.includes('.')) required.add(path.split('.')[0]);

  const mark = (attribute: AttributeDefinition, parent?: AttributeDefinition): AttributeDefinition => {
    const path = (parent ? `${parent.name}.${attribute.name}` : attribute.name).toLowerCase();
    const requiredAsValue = parent !== undefined && parent.multiValued && attribute.name === 'value' && required.has(parent.name.toLowerCase());
    const note = notes.get(path);
    const marked: AttributeDefinition = {
      ...attribute,
      ...(required.has(path) || requiredAsValue ? { required: true } : {}),
      ...(immutable.has(path) ? { mutability: 'immutable' } : {}),
      ...(note ? { description: attribute.description ? `${attribute.description} ${note}` : note } : {}),
    };
    return attribute.subAttributes ? { ...marked, subAttributes: attribute.subAttributes.map((sub) => mark(sub, attribute)) } : marked;
  };
  return { ...schema, attributes: schema.attributes.map((attribute) => mark(attribute)) };
}
