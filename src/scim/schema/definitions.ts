/**
 * The typed form of RFC 7643 §7 schema and resource type representations, exactly as the JSON
 * files in `schemas/` hold them.
 */
export type AttributeType =
  | 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'binary' | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description?: string;
  readonly required: boolean;
  readonly caseExact?: boolean;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness?: Uniqueness;
  readonly subAttributes?: readonly AttributeDefinition[];
}

export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly attributes: readonly AttributeDefinition[];
}

export interface ResourceTypeDefinition {
  readonly id: string;
  readonly name: string;
  readonly endpoint: string;
  readonly description?: string;
  readonly schema: string;
  readonly schemaExtensions: readonly { readonly schema: string; readonly required: boolean }[];
}

/** A resource type with its schemas resolved: what the protocol layer works with. */
export interface ResourceType {
  readonly definition: ResourceTypeDefinition;
  readonly name: string;
  readonly endpoint: string;
  readonly core: SchemaDefinition;
  readonly extensions: readonly { readonly schema: SchemaDefinition; readonly required: boolean }[];
}

/**
 * RFC 7643 §3.1 common attributes: every resource has them, but no schema lists them, so they
 * are declared here once.
 */
export const commonAttributes: readonly AttributeDefinition[] = [
  { name: 'id', type: 'string', multiValued: false, required: false, caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' },
  { name: 'externalId', type: 'string', multiValued: false, required: false, caseExact: true, mutability: 'readWrite', returned: 'default', uniqueness: 'none' },
  {
    name: 'meta', type: 'complex', multiValued: false, required: false, mutability: 'readOnly', returned: 'default',
    subAttributes: [
      { name: 'resourceType', type: 'string', multiValued: false, required: false, caseExact: true, mutability: 'readOnly', returned: 'default' },
      { name: 'created', type: 'dateTime', multiValued: false, required: false, mutability: 'readOnly', returned: 'default' },
      { name: 'lastModified', type: 'dateTime', multiValued: false, required: false, mutability: 'readOnly', returned: 'default' },
      { name: 'location', type: 'reference', multiValued: false, required: false, caseExact: true, mutability: 'readOnly', returned: 'default', referenceTypes: ['uri'] },
      { name: 'version', type: 'string', multiValued: false, required: false, caseExact: true, mutability: 'readOnly', returned: 'default' },
    ],
  },
];
