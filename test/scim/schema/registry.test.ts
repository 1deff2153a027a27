import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import type { AttributeDefinition } from '../../../src/scim/schema/definitions';

const registry = loadSchemaRegistry();
const ACCOUNT = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
const GROUP_EXTENSION = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Group';

const attributesOf = (id: string) => Object.fromEntries(registry.schemas.find((s) => s.id === id)!.attributes.map((a) => [a.name, a])) as Record<string, AttributeDefinition>;

/** The schema files: what /Schemas says and what every write is validated against (issue 12 §2). */
describe('loadSchemaRegistry', () => {
  it('binds the Group resource type to the optional Roster Group extension', () => {
    expect(registry.group.extensions.map((e) => [e.schema.id, e.schema.name, e.required])).toEqual([[GROUP_EXTENSION, 'Group', false]]);
  });

  it('declares the Group extension\'s description and permissions', () => {
    const group = attributesOf(GROUP_EXTENSION);
    expect(Object.keys(group).sort()).toEqual(['description', 'permissions']);
    expect(group.description).toMatchObject({ type: 'string', multiValued: false, mutability: 'readWrite', required: false });
    expect(group.permissions).toMatchObject({ type: 'string', multiValued: true, mutability: 'readWrite', caseExact: true, required: false });
  });

  it.each([
    ['expiresAt', { type: 'dateTime', multiValued: false, mutability: 'readWrite' }],
    ['forcePasswordChange', { type: 'boolean', multiValued: false, mutability: 'readWrite' }],
    ['birthdate', { type: 'string', multiValued: false, mutability: 'readWrite', caseExact: true }],
    ['effectivePermissions', { type: 'string', multiValued: true, mutability: 'readOnly', returned: 'default', caseExact: true }],
  ])('declares the Account extension\'s %s', (name, expected) => {
    expect(attributesOf(ACCOUNT)[name]).toMatchObject({ required: false, ...expected });
    expect(attributesOf(ACCOUNT)[name].description).toMatch(/^[A-Z].{20,}\.$/);
  });

  it('says in the Account roles that they agree with the core roles', () => {
    expect(attributesOf(ACCOUNT).roles.description).toContain('Kept in agreement with the core roles attribute');
  });
});
