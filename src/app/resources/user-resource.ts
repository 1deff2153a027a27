import type { ResourceEndpoint } from './endpoint';
import type { Users, UserDraft } from '../users';
import { invalidValue } from '../../scim/errors';
import { applyPatch } from '../../scim/patch/apply-patch';
import { parsePatchRequest } from '../../scim/patch/patch-request';
import { groupsAttribute, renderResource, type ResourceSnapshot } from '../../scim/resource/render';
import type { ResourceType } from '../../scim/schema/definitions';
import type { ResourceValidator } from '../../scim/schema/scimmy-validator';
import type { JsonObject } from '../../scim/values/json';
import { toListQuery } from './list-query';
import { takeFromBody, takeFromOperations } from './current-password';
import { showsEffectivePermissions, withEffectivePermissions } from './effective-permissions';
import type { Principal } from '../../domain/principal';

/** A validated write body split into stored attributes, the write-only password and the current one. */
function userDraft(validator: ResourceValidator, body: JsonObject, currentPassword?: string): UserDraft {
  const { password, ...data } = validator.validate(body);
  if (password !== undefined && typeof password !== 'string') throw invalidValue('password must be a string');
  return { data, ...(password === undefined ? {} : { password }), ...(currentPassword === undefined ? {} : { currentPassword }) };
}

/** The Users use cases of one tenant for `actor`. `maxPatchOperations`: MAX_PATCH_OPERATIONS. */
export function userResource(type: ResourceType, users: Users, validator: ResourceValidator, maxPatchOperations: number, actor: Principal): ResourceEndpoint {
  return {
    type,
    list: (request) => users.list(toListQuery(request)),
    get: (id) => users.get(id),
    create: (body) => users.create(userDraft(validator, body), actor),
    createMany: (bodies) => users.createMany(bodies.map((body) => () => userDraft(validator, body)), actor),
    replace: (id, body, expected) => {
      const { rest, currentPassword } = takeFromBody(body);
      const draft = userDraft(validator, rest, currentPassword);
      return users.modify(id, expected, 'replace', () => draft, actor);
    },
    patch: (id, body, expected) => {
      const { rest: operations, currentPassword } = takeFromOperations(parsePatchRequest(body, maxPatchOperations));
      return users.modify(id, expected, 'patch', (current) => {
        const outcome = applyPatch(type, current.data, renderResource(type, current, ''), operations, validator.limits);
        return userDraft(validator, outcome.data, currentPassword);
      }, actor);
    },
    delete: (id, expected) => users.delete(id, expected, actor),
    /**
     * groups and effectivePermissions are computed from the page's memberships, read once for the
     * whole page (each group with the permissions it grants), and only when the projection
     * returns one of them.
     */
    async render(resources, projection, baseUrl) {
      const showGroups = projection.includes('groups');
      const showPermissions = showsEffectivePermissions(projection);
      const groups = showGroups || showPermissions ? await users.groupsOf(resources.map((r) => r.id)) : undefined;
      return resources.map((user: ResourceSnapshot) => {
        const memberOf = groups?.get(user.id) ?? [];
        const computed = showGroups ? groupsAttribute(memberOf.map((g) => ({ id: g.id, display: g.displayName })), baseUrl) : {};
        const served = showPermissions ? withEffectivePermissions(user, memberOf) : user;
        return projection.apply(renderResource(type, served, baseUrl, computed));
      });
    },
  };
}
