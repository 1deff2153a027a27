import type { ResourceEndpoint } from './endpoint';
import type { Groups } from '../../domain/groups';
import { matchesElement } from '../../scim/filter/evaluate-filter';
import { applyPatch } from '../../scim/patch/apply-patch';
import { memberIds, type MemberChange, type MemberEdit } from '../../scim/patch/member-edits';
import { parsePatchRequest } from '../../scim/patch/patch-request';
import { membersAttribute, renderResource } from '../../scim/resource/render';
import { resolveAttribute } from '../../scim/schema/resolve-attribute';
import type { ResourceType } from '../../scim/schema/definitions';
import type { ResourceValidator } from '../../scim/schema/scimmy-validator';
import type { JsonObject } from '../../scim/values/json';
import { toListQuery } from './list-query';

/** A validated group body split into attributes and member ids. */
function groupDraft(validator: ResourceValidator, body: JsonObject): { data: JsonObject; members: string[] } {
  const { members, ...data } = validator.validate(body);
  return { data, members: memberIds(members) };
}

export function groupEndpoint(type: ResourceType, groups: Groups, validator: ResourceValidator): ResourceEndpoint {
  const membersPath = resolveAttribute(type, { attribute: 'members' })!;

  /**
   * A removal by a filter other than `value eq …` (rare) must look at the members; every other
   * edit is applied by the store without reading the member list.
   */
  const resolveEdits = async (groupId: string, edits: readonly MemberEdit[]): Promise<MemberChange[]> => {
    if (!edits.some((e) => e.op === 'removeWhere')) return edits as MemberChange[];
    const members = (await groups.membersOf([groupId])).get(groupId) ?? [];
    const elements = membersAttribute(members, '').members as JsonObject[];
    return edits.map((edit) => edit.op !== 'removeWhere' ? edit
      : { op: 'remove', ids: elements.filter((m) => matchesElement(edit.filter, m, membersPath)).map((m) => String(m.value)) });
  };

  return {
    type,
    list: (request) => groups.list(toListQuery(request)),
    get: (id) => groups.get(id),
    create: (body, actor) => {
      const { data, members } = groupDraft(validator, body);
      return groups.create(data, members, actor);
    },
    replace: (id, body, expected, actor) => {
      const { data, members } = groupDraft(validator, body);
      return groups.modify(id, expected, async () => ({ data, memberChanges: [{ op: 'removeAll' }, { op: 'add', ids: members }] }), actor);
    },
    patch: (id, body, expected, actor) => {
      const operations = parsePatchRequest(body);
      return groups.modify(id, expected, async (current) => {
        const outcome = applyPatch(type, current.data, renderResource(type, current, ''), operations);
        const data = validator.validate(outcome.data);
        delete data.members;
        return { data, memberChanges: await resolveEdits(id, outcome.memberEdits) };
      }, actor);
    },
    delete: (id, expected, actor) => groups.delete(id, expected, actor),
    async render(resources, projection, baseUrl) {
      const members = projection.includes('members') ? await groups.membersOf(resources.map((r) => r.id)) : undefined;
      return resources.map((group) => {
        const computed = members ? membersAttribute(members.get(group.id) ?? [], baseUrl) : {};
        return projection.apply(renderResource(type, group, baseUrl, computed));
      });
    },
  };
}
