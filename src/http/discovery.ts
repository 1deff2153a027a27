import { Router, type Request, type Response } from 'express';
import type { Config } from '../config/config';
import { methodNotAllowed, notFound } from '../scim/errors';
import { listResponse } from '../scim/list/list-response';
import type { SchemaRegistry } from '../scim/schema/registry';
import { tenantSchemas, type UserSchemaRules } from '../scim/schema/tenant-schemas';
import type { JsonObject } from '../scim/values/json';
import type { Tenant } from '../app/context';
import { sendScim } from './respond';
import { directoryOf, scimBaseUrl } from './tenant-scope';

/**
 * /ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4), generated from the loaded
 * schema files and the configuration, and saying only what this server really does. /Schemas is
 * the request's tenant's: what that tenant requires of a user is marked `required`, so that a
 * client building its requests from /Schemas alone gets them accepted.
 */
export function discoveryRouter(registry: SchemaRegistry, config: Config): Router {
  const router = Router();
  const readOnly = (path: string, handler: (req: Request, res: Response) => JsonObject) =>
    router.route(path).get((req, res) => sendScim(res, 200, handler(req, res))).all(() => { throw methodNotAllowed(['GET']); });

  const schemaOf = (req: Request, res: Response, schema: SchemaRegistry['schemas'][number]): JsonObject => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    ...(JSON.parse(JSON.stringify(schema)) as JsonObject),
    meta: { resourceType: 'Schema', location: `${scimBaseUrl(req, res)}/Schemas/${schema.id}` },
  });
  const resourceTypeOf = (req: Request, res: Response, definition: SchemaRegistry['resourceTypes'][number]['definition']): JsonObject => ({
    ...(JSON.parse(JSON.stringify(definition)) as JsonObject),
    meta: { resourceType: 'ResourceType', location: `${scimBaseUrl(req, res)}/ResourceTypes/${definition.id}` },
  });

  readOnly('/ServiceProviderConfig', (req, res) => serviceProviderConfig(config, `${scimBaseUrl(req, res)}/ServiceProviderConfig`));
  readOnly('/ResourceTypes', (req, res) => listResponse(registry.resourceTypes.length, 1, registry.resourceTypes.map((rt) => resourceTypeOf(req, res, rt.definition))));
  readOnly('/ResourceTypes/:name', (req, res) => {
    const found = registry.resourceTypes.find((rt) => rt.name.toLowerCase() === String(req.params.name).toLowerCase());
    if (!found) throw notFound(`There is no resource type ${JSON.stringify(req.params.name)}`);
    return resourceTypeOf(req, res, found.definition);
  });
  const schemasOf = (res: Response) => tenantSchemas(registry, userSchemaRules(directoryOf(res).context.tenant.policy));
  readOnly('/Schemas', (req, res) => {
    const schemas = schemasOf(res);
    return listResponse(schemas.length, 1, schemas.map((s) => schemaOf(req, res, s)));
  });
  readOnly('/Schemas/:id', (req, res) => {
    const found = schemasOf(res).find((s) => s.id.toLowerCase() === String(req.params.id).toLowerCase());
    if (!found) throw notFound(`There is no schema ${JSON.stringify(req.params.id)}`);
    return schemaOf(req, res, found);
  });
  return router;
}

/** What a tenant's account policy makes of the User schema (domain/account/identity.ts applies the same rules). */
function userSchemaRules(policy: Tenant['policy']): UserSchemaRules {
  const userName = [
    policy.usernameFormat === 'email' ? 'On this tenant it must be an email address such as ada@example.com (USERNAME_FORMAT=email).' : '',
    policy.usernameImmutable ? 'On this tenant it cannot be changed once the user exists (USERNAME_IMMUTABLE=true).' : '',
  ].filter((sentence) => sentence !== '').join(' ');
  return {
    required: policy.requiredUserAttributes,
    immutable: policy.usernameImmutable ? ['userName'] : [],
    notes: userName ? { userName } : {},
  };
}

function serviceProviderConfig(config: Config, location: string): JsonObject {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: true },
    // The JSON body parser refuses anything over MAX_BODY_BYTES first, so that bounds bulk too.
    bulk: { supported: true, maxOperations: config.bulkMaxOperations, maxPayloadSize: Math.min(config.bulkMaxPayloadBytes, config.maxBodyBytes) },
    filter: { supported: true, maxResults: config.maxPageSize },
    // RFC 9865: cursors never expire here, so there is no cursorTimeout.
    pagination: {
      cursor: true,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: config.maxPageSize,
      maxPageSize: config.maxPageSize,
    },
    changePassword: { supported: true },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [{
      type: 'oauthbearertoken',
      name: 'OAuth Bearer Token',
      description: 'A bearer token issued by `npm run cli -- tokens create` (or SCIM_BOOTSTRAP_TOKEN), sent as Authorization: Bearer <token>',
      specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
      primary: true,
    }, {
      type: 'oauth2',
      name: 'OAuth 2.0 client credentials',
      description: 'POST /oauth/token with grant_type=client_credentials and a client id and secret (from POST /admin/clients) issues a bearer token, sent as Authorization: Bearer <token> until it expires (OAUTH_TOKEN_TTL)',
      specUri: 'https://www.rfc-editor.org/rfc/rfc6749',
      primary: false,
    }],
    meta: { resourceType: 'ServiceProviderConfig', location },
  };
}
