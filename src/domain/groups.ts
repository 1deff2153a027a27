import type { ExpectedVersion, ListQuery, MemberChange, MemberRef, Page, Store, StoredGroup } from '../store/port';
import { notFound } from '../scim/errors';
import { deepEqual, type JsonObject } from '../scim/values/json';
import { conditionalWrite, translateStoreError } from './conflicts';

/** What a write asks of a group: new attributes (or none) and membership changes. */
export interface GroupChange {
  readonly data?: JsonObject;
  readonly memberChanges: readonly MemberChange[];
}

const groupNotFound = (id: string) => () => notFound(`No group has the id ${JSON.stringify(id)}`);

export class Groups {
  constructor(private readonly store: Store) {}

  async create(data: JsonObject, memberIds: readonly string[]): Promise<StoredGroup> {
    return this.store.groups.create(data, memberIds).catch((e: unknown) => Promise.reject(translateStoreError(e)));
  }

  async get(id: string): Promise<StoredGroup> {
    const group = await this.store.groups.get(id);
    if (!group) throw groupNotFound(id)();
    return group;
  }

  /**
   * Applies `change`. Membership changes are atomic set operations in the store, so a change of
   * members only needs no version check (concurrent member PATCHes never lose updates); a change
   * of attributes is conditional on the version it was computed from.
   */
  async modify(id: string, expected: ExpectedVersion, change: (current: StoredGroup) => Promise<GroupChange>): Promise<StoredGroup> {
    return conditionalWrite(
      () => this.store.groups.get(id),
      async (current, version) => {
        const { data, memberChanges } = await change(current);
        const attributesChanged = data !== undefined && !deepEqual(data, current.data);
        if (!attributesChanged && memberChanges.length === 0) return 'unchanged';
        const precondition = attributesChanged || expected !== undefined ? version : undefined;
        return this.store.groups.update(id, precondition, { data: attributesChanged ? data : undefined, memberChanges });
      },
      expected,
      groupNotFound(id),
    );
  }

  async delete(id: string, expected: ExpectedVersion): Promise<void> {
    await conditionalWrite(() => this.store.groups.get(id), (_, version) => this.store.groups.delete(id, version), expected, groupNotFound(id));
  }

  list(query: ListQuery): Promise<Page<StoredGroup>> {
    return this.store.groups.list(query);
  }

  membersOf(ids: readonly string[]): Promise<ReadonlyMap<string, readonly MemberRef[]>> {
    return this.store.groups.membersOf(ids);
  }
}
