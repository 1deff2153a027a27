import type { ExpectedVersion, GroupWrite, ListQuery, MemberChange, MemberRef, MembersQuery, Page, StoredGroup, TenantStore, UpdateResult } from '../store/port';
import { notFound } from '../scim/errors';
import { deepEqual, type JsonObject } from '../scim/values/json';
import type { Principal } from '../domain/principal';
import { conditionalWrite } from './conditional-write';
import { asScimFailure } from './failures';

/** What a write asks of a group: new attributes (or none) and membership changes. */
export interface GroupChange {
  readonly data?: JsonObject;
  readonly memberChanges: readonly MemberChange[];
}

/** How many membership-only writes an attribute write steps over before it gives up (see updateAttributes). */
const MEMBER_ONLY_RETRIES = 50;

const groupNotFound = (id: string) => () => notFound(`No group has the id ${JSON.stringify(id)}`);

/** The groups of one tenant. */
export class Groups {
  /** `checkWriter` is the one rule of who may write (see Users.checkWriter). */
  constructor(private readonly store: TenantStore, private readonly checkWriter: (actor: Principal) => Promise<void>) {}

  async create(data: JsonObject, memberIds: readonly string[], actor: Principal): Promise<StoredGroup> {
    await this.checkWriter(actor);
    return this.store.groups.create(data, memberIds).catch(asScimFailure);
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
  async modify(id: string, expected: ExpectedVersion, change: (current: StoredGroup) => Promise<GroupChange>, actor: Principal): Promise<StoredGroup> {
    await this.checkWriter(actor);
    return conditionalWrite(
      () => this.store.groups.get(id),
      async (current, version) => {
        const { data, memberChanges } = await change(current);
        const attributesChanged = data !== undefined && !deepEqual(data, current.data);
        if (!attributesChanged && memberChanges.length === 0) return 'unchanged';
        if (!attributesChanged) return this.store.groups.update(id, expected === undefined ? undefined : version, { memberChanges });
        if (expected !== undefined) return this.store.groups.update(id, version, { data, memberChanges });
        return this.updateAttributes(current, { data, memberChanges });
      },
      expected,
      groupNotFound(id),
    );
  }

  /**
   * An attribute write computed from `basis`, without a client precondition. Every membership
   * write bumps the version, so on a busy group the version read is often stale by the time the
   * write lands even though the attributes it was computed from are not: then the same write is
   * retried on the new version instead of counting as a conflict. Otherwise a rename could fail
   * with 409 merely because member PATCHes kept arriving. Only a change of the attributes
   * themselves sends the caller back to recompute (conditionalWrite).
   */
  private async updateAttributes(basis: StoredGroup, write: GroupWrite): Promise<UpdateResult<StoredGroup>> {
    let version = basis.version;
    for (let attempt = 0; ; attempt++) {
      const result = await this.store.groups.update(basis.id, version, write);
      if (result.status !== 'versionMismatch' || attempt === MEMBER_ONLY_RETRIES) return result;
      const now = await this.store.groups.get(basis.id);
      if (!now || !deepEqual(now.data, basis.data)) return result;
      version = now.version;
    }
  }

  /** Without If-Match a delete is unconditional: a member PATCH landing first must not make it retry. */
  async delete(id: string, expected: ExpectedVersion, actor: Principal): Promise<void> {
    await this.checkWriter(actor);
    await conditionalWrite(() => this.store.groups.get(id), () => this.store.groups.delete(id, expected), expected, groupNotFound(id));
  }

  list(query: ListQuery): Promise<Page<StoredGroup>> {
    return this.store.groups.list(query);
  }

  membersOf(ids: readonly string[]): Promise<ReadonlyMap<string, readonly MemberRef[]>> {
    return this.store.groups.membersOf(ids);
  }

  /** One page of a group's live members (GroupStore.membersPage); 404 when there is no such group. */
  async membersPage(id: string, query: MembersQuery): Promise<Page<MemberRef>> {
    const page = await this.store.groups.membersPage(id, query).catch(asScimFailure);
    if (!page) throw groupNotFound(id)();
    return page;
  }
}
