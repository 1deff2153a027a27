import type { ChangedMember } from './events-port';

/**
 * The net change of a group's members over one write, from the memberships the write actually
 * inserted and deleted: a member removed and added back by the same write (a PUT of the same
 * list, a PATCH remove-all then add) is no change, and so no event.
 */
export class MemberDiff {
  private readonly add = new Map<string, ChangedMember>();
  private readonly remove = new Map<string, ChangedMember>();

  added(member: ChangedMember): void {
    if (!this.remove.delete(member.id)) this.add.set(member.id, member);
  }

  removed(member: ChangedMember): void {
    if (!this.add.delete(member.id)) this.remove.set(member.id, member);
  }

  addedMembers(): ChangedMember[] {
    return [...this.add.values()];
  }

  removedMembers(): ChangedMember[] {
    return [...this.remove.values()];
  }
}
