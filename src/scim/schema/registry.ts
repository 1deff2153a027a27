import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ResourceType, ResourceTypeDefinition, SchemaDefinition } from './definitions';

/** `schemas/` at the package root, from src/scim/schema (tests) and dist/scim/schema (built) alike. */
export const defaultSchemaDirectory = resolve(__dirname, '..', '..', '..', 'schemas');

const RESOURCE_TYPES_FILE = 'resource-types.json';

/** The schemas and resource types loaded from `schemas/` at start-up. */
export interface SchemaRegistry {
  readonly schemas: readonly SchemaDefinition[];
  readonly resourceTypes: readonly ResourceType[];
  readonly user: ResourceType;
  readonly group: ResourceType;
}

export function loadSchemaRegistry(directory: string = defaultSchemaDirectory): SchemaRegistry {
  const schemaFiles = readdirSync(directory).filter((f) => f.endsWith('.json') && f !== RESOURCE_TYPES_FILE).sort();
  const schemas = schemaFiles.map((file) => readJson<SchemaDefinition>(join(directory, file)));
  const definitions = readJson<ResourceTypeDefinition[]>(join(directory, RESOURCE_TYPES_FILE));
  const resourceTypes = definitions.map((definition) => bindResourceType(definition, schemas));
  return Object.freeze({
    schemas,
    resourceTypes,
    user: findResourceType(resourceTypes, 'User'),
    group: findResourceType(resourceTypes, 'Group'),
  });
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new Error(`Cannot load schema file ${file}: ${(error as Error).message}`);
  }
}

function bindResourceType(definition: ResourceTypeDefinition, schemas: readonly SchemaDefinition[]): ResourceType {
  const schemaById = (id: string): SchemaDefinition => {
    const schema = schemas.find((s) => s.id === id);
    if (!schema) throw new Error(`Resource type ${definition.name} names schema ${id}, which no file in schemas/ defines`);
    return schema;
  };
  return {
    definition,
    name: definition.name,
    endpoint: definition.endpoint,
    core: schemaById(definition.schema),
    extensions: definition.schemaExtensions.map((e) => ({ schema: schemaById(e.schema), required: e.required })),
  };
}

function findResourceType(resourceTypes: readonly ResourceType[], name: string): ResourceType {
  const found = resourceTypes.find((rt) => rt.name === name);
  if (!found) throw new Error(`schemas/${RESOURCE_TYPES_FILE} must define the ${name} resource type`);
  return found;
}
