import type { Change, ChangedMember, EventDraft, EventResource } from '../../store/port';
import { attributeChanges } from './attribute-changes';
import { groupResource, memberOf } from './event-resources';

type GroupChange = Extract<Change, { of: 'group' }>;

/**
 * The events of a change of a group: the group's own event, then one per member added or
 * removed. A PATCH adding 1,000 members drafts 1,000 events: they share the one resource
 * object and copy nothing else, so drafting stays linear in the members changed.
 *
 * A deleted group records group.deleted only: deleting a group ends every membership in it,
 * and a consumer mirroring memberships drops them all on that one event.
 */
export function groupEvents(change: GroupChange): EventDraft[] {
  switch (change.kind) {
    case 'created': {
      const resource = groupResource(change.after);
      const events: EventDraft[] = [{ type: 'group.created', resource, changes: attributeChanges(undefined, change.after.data) }];
      return appendMembers(events, 'group.member_added', resource, change.added);
    }
    case 'updated': {
      const resource = groupResource(change.after);
      const changes = attributeChanges(change.before.data, change.after.data);
      const events: EventDraft[] = changes.length > 0 ? [{ type: 'group.updated', resource, changes }] : [];
      appendMembers(events, 'group.member_added', resource, change.added);
      return appendMembers(events, 'group.member_removed', resource, change.removed);
    }
    case 'deleted':
      return [{ type: 'group.deleted', resource: groupResource(change.before) }];
  }
}

function appendMembers(events: EventDraft[], type: 'group.member_added' | 'group.member_removed', resource: EventResource, members: readonly ChangedMember[]): EventDraft[] {
  for (const member of members) events.push({ type, resource, member: memberOf(member) });
  return events;
}
