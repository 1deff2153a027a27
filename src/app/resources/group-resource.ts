import type { ResourceEndpoint } from './endpoint';
import type { MemberPages } from './member-pages';
import type { Groups } from '../groups';
import { matchesElement } from '../../scim/filter/evaluate-filter';
import type { ResolvedFilter } from '../../scim/filter/resolved';
import { applyPatch } from '../../scim/patch/apply-patch';
import { memberIds, type MemberChange, type MemberEdit } from '../../scim/patch/member-edits';
import { parsePatchRequest } from '../../scim/patch/patch-request';
import { membersAttribute, renderResource } from '../../scim/resource/render';
import { resolveAttribute, type ResolvedAttribute } from '../../scim/schema/resolve-attribute';
import type { ResourceType } from '../../scim/schema/definitions';
import type { ResourceValidator } from '../../scim/schema/scimmy-validator';
import type { JsonObject } from '../../scim/values/json';
import { nextTurn } from '../next-turn';
import { toListQuery } from './list-query';
import type { Principal } from '../../domain/principal';

/** How long a filter removal may hold the event loop before letting other requests in. */
const SLICE_MS = 10;

/**
 * A clock shared by every scan of one PATCH: `due()` is a turn of the event loop to await once
 * SLICE_MS of work has gone by since the last one (undefined before), however the work is split.
 */
function timeSlices(): { due(): Promise<void> | undefined } {
  let sliceStart = performance.now();
  return {
    due: () => performance.now() - sliceStart <= SLICE_MS ? undefined : nextTurn().then(() => { sliceStart = performance.now(); }),
  };
}

/**
 * The members a filter selects. A group may have 100,000 members and a PATCH many such
 * removals, so the scan gives the event loop back every slice: it takes as long as it takes,
 * but never stalls other requests for longer than a slice.
 */
async function selectedMembers(elements: readonly JsonObject[], filter: ResolvedFilter, membersPath: ResolvedAttribute, slices: ReturnType<typeof timeSlices>): Promise<string[]> {
  const ids: string[] = [];
  for (const member of elements) {
    if (matchesElement(filter, member, membersPath)) ids.push(String(member.value));
    const turn = slices.due();
    if (turn) await turn;
  }
  return ids;
}

/** A validated group body split into attributes and member ids. */
function groupDraft(validator: ResourceValidator, body: JsonObject): { data: JsonObject; members: string[] } {
  const { members, ...data } = validator.validate(body);
  return { data, members: memberIds(members) };
}

/** The Groups use cases of one tenant for `actor`. `maxPatchOperations`: MAX_PATCH_OPERATIONS. */
export function groupResource(type: ResourceType, groups: Groups, validator: ResourceValidator, maxPatchOperations: number, actor: Principal): ResourceEndpoint & MemberPages {
  const membersPath = resolveAttribute(type, { attribute: 'members' })!;

  /**
   * A removal by a filter other than `value eq …` (rare) must look at the members; every other
   * edit is applied by the store without reading the member list.
   */
  const resolveEdits = async (groupId: string, edits: readonly MemberEdit[]): Promise<MemberChange[]> => {
    if (!edits.some((e) => e.op === 'removeWhere')) return edits as MemberChange[];
    const members = (await groups.membersOf([groupId])).get(groupId) ?? [];
    const elements = membersAttribute(members, '').members as JsonObject[];
    const slices = timeSlices();
    const changes: MemberChange[] = [];
    for (const edit of edits) changes.push(edit.op === 'removeWhere' ? { op: 'remove', ids: await selectedMembers(elements, edit.filter, membersPath, slices) } : edit);
    return changes;
  };

  return {
    type,
    list: (request) => groups.list(toListQuery(request)),
    get: (id) => groups.get(id),
    create: (body) => {
      const { data, members } = groupDraft(validator, body);
      return groups.create(data, members, actor);
    },
    replace: (id, body, expected) => {
      const { data, members } = groupDraft(validator, body);
      return groups.modify(id, expected, async () => ({ data, memberChanges: [{ op: 'removeAll' }, { op: 'add', ids: members }] }), actor);
    },
    patch: (id, body, expected) => {
      const operations = parsePatchRequest(body, maxPatchOperations);
      return groups.modify(id, expected, async (current) => {
        const outcome = applyPatch(type, current.data, renderResource(type, current, ''), operations, validator.limits);
        const data = validator.validate(outcome.data);
        delete data.members;
        return { data, memberChanges: await resolveEdits(id, outcome.memberEdits) };
      }, actor);
    },
    delete: (id, expected) => groups.delete(id, expected, actor),
    async render(resources, projection, baseUrl) {
      const members = projection.includes('members') ? await groups.membersOf(resources.map((r) => r.id)) : undefined;
      return resources.map((group) => {
        const computed = members ? membersAttribute(members.get(group.id) ?? [], baseUrl) : {};
        return projection.apply(renderResource(type, group, baseUrl, computed));
      });
    },
    renderWithMembers: (group, projection, baseUrl, members) => projection.apply(renderResource(type, group, baseUrl, { members })),
    async memberElements(groupId, query, baseUrl) {
      const page = await groups.membersPage(groupId, query);
      return { ...page, items: membersAttribute(page.items, baseUrl).members as JsonObject[] };
    },
  };
}
