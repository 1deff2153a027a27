import type { ResourceEndpoint } from './endpoint';
import type { Users, UserDraft } from '../../domain/users';
import { invalidValue } from '../../scim/errors';
import { applyPatch } from '../../scim/patch/apply-patch';
import { parsePatchRequest } from '../../scim/patch/patch-request';
import { groupsAttribute, renderResource, type ResourceSnapshot } from '../../scim/resource/render';
import type { ResourceType } from '../../scim/schema/definitions';
import type { ResourceValidator } from '../../scim/schema/scimmy-validator';
import type { JsonObject } from '../../scim/values/json';
import { toListQuery } from './list-query';

/** A validated write body split into stored attributes and the write-only password. */
function userDraft(validator: ResourceValidator, body: JsonObject): UserDraft {
  const { password, ...data } = validator.validate(body);
  if (password !== undefined && typeof password !== 'string') throw invalidValue('password must be a string');
  return password === undefined ? { data } : { data, password };
}

export function userEndpoint(type: ResourceType, users: Users, validator: ResourceValidator): ResourceEndpoint {
  return {
    type,
    list: (request) => users.list(toListQuery(request)),
    get: (id) => users.get(id),
    create: (body, actor) => users.create(userDraft(validator, body), actor),
    replace: (id, body, expected, actor) => {
      const draft = userDraft(validator, body);
      return users.modify(id, expected, 'replace', () => draft, actor);
    },
    patch: (id, body, expected, actor) => {
      const operations = parsePatchRequest(body);
      return users.modify(id, expected, 'patch', (current) => {
        const outcome = applyPatch(type, current.data, renderResource(type, current, ''), operations);
        return userDraft(validator, outcome.data);
      }, actor);
    },
    delete: (id, expected, actor) => users.delete(id, expected, actor),
    async render(resources, projection, baseUrl) {
      const groups = projection.includes('groups') ? await users.groupsOf(resources.map((r) => r.id)) : undefined;
      return resources.map((user: ResourceSnapshot) => {
        const computed = groups ? groupsAttribute((groups.get(user.id) ?? []).map((g) => ({ id: g.id, display: g.displayName })), baseUrl) : {};
        return projection.apply(renderResource(type, user, baseUrl, computed));
      });
    },
  };
}
