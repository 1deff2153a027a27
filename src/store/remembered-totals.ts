/**
 * Member totals of groups, by a key that names the group's version (tenant, group, version):
 * counting a group's members is O(group) while a page of them is O(page), and walking a large
 * group reads a hundred pages. Every membership change bumps the group's version, and so does
 * each member's soft delete and restore, in the same transaction, so a remembered total is never
 * stale: a new version is a new key, whichever process wrote it. At most `capacity` are kept;
 * the oldest goes first. Shared by both adapters (GroupStore.membersPage).
 */
export class RememberedTotals {
  private readonly totals = new Map<string, number>();

  constructor(private readonly capacity = 256) {}

  recall(key: string): number | undefined {
    return this.totals.get(key);
  }

  remember(key: string, total: number): number {
    if (this.totals.size >= this.capacity) this.totals.delete(this.totals.keys().next().value!);
    this.totals.set(key, total);
    return total;
  }
}
