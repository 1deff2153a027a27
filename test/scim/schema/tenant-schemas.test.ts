import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { tenantSchemas, type UserSchemaRules } from '../../../src/scim/schema/tenant-schemas';
import type { AttributeDefinition, SchemaDefinition } from '../../../src/scim/schema/definitions';

/** The User schema as one tenant's rules make it (GET /Schemas of that tenant). */

const registry = loadSchemaRegistry();
const NONE: UserSchemaRules = { required: [], immutable: [], notes: {} };
const user = (schemas: readonly SchemaDefinition[]) => schemas.find((s) => s.id === registry.user.core.id)!;
const at = (schema: SchemaDefinition, path: string): AttributeDefinition => {
  const [top, sub] = path.split('.');
  const attribute = schema.attributes.find((a) => a.name === top)!;
  return sub ? attribute.subAttributes!.find((a) => a.name === sub)! : attribute;
};
const requiredPaths = (schema: SchemaDefinition) => schema.attributes.flatMap((a) => [
  ...(a.required ? [a.name] : []),
  ...(a.subAttributes ?? []).filter((s) => s.required).map((s) => `${a.name}.${s.name}`),
]).sort();

describe('tenantSchemas', () => {
  it('without rules is the files as loaded: only userName required', () => {
    expect(tenantSchemas(registry, NONE)).toEqual(registry.schemas);
    expect(requiredPaths(user(tenantSchemas(registry, NONE)))).toEqual(['userName']);
  });

  it.each([
    [['name.givenName'], ['name', 'name.givenName', 'userName']],
    [['name.givenName', 'name.familyName', 'emails'], ['emails', 'emails.value', 'name', 'name.familyName', 'name.givenName', 'userName']],
    [['emails'], ['emails', 'emails.value', 'userName']],
  ])('requiring %j marks %j: a sub-attribute\'s parent, and a multi-valued attribute\'s value, with it', (required, paths) => {
    expect(requiredPaths(user(tenantSchemas(registry, { ...NONE, required })))).toEqual(paths);
  });

  it('marks an immutable attribute and appends a note to its description', () => {
    const schema = user(tenantSchemas(registry, { required: [], immutable: ['userName'], notes: { userName: 'Never changes here.' } }));
    expect(at(schema, 'userName').mutability).toBe('immutable');
    expect(at(schema, 'userName').description).toBe(`${at(user(registry.schemas), 'userName').description} Never changes here.`);
  });

  it('changes only the User schema, and never the loaded files', () => {
    const before = JSON.stringify(registry.schemas);
    const view = tenantSchemas(registry, { required: ['emails', 'name.givenName'], immutable: ['userName'], notes: { userName: 'x' } });
    expect(view.filter((s) => s.id !== registry.user.core.id)).toEqual(registry.schemas.filter((s) => s.id !== registry.user.core.id));
    expect(JSON.stringify(registry.schemas)).toBe(before);
  });

  it('derives each distinct rule set once (the same rules in another order are the same set)', () => {
    const first = tenantSchemas(registry, { ...NONE, required: ['emails', 'name.givenName'] });
    expect(tenantSchemas(registry, { ...NONE, required: ['name.givenName', 'emails'] })).toBe(first);
    expect(tenantSchemas(registry, { ...NONE, required: ['emails'] })).not.toBe(first);
  });
});
