import type { ExpectedVersion, GroupRef, ListQuery, Page, Store, StoredUser } from '../store/port';
import { notFound } from '../scim/errors';
import { deepEqual, type JsonObject } from '../scim/values/json';
import { conditionalWrite, translateStoreError } from './conflicts';
import { hashPassword } from './passwords';

/** A user as a client asked for it: attributes already validated against the schema. */
export interface UserDraft {
  readonly data: JsonObject;
  /** A new password, in clear, to be hashed; undefined keeps the current one. */
  readonly password?: string;
}

const userNotFound = (id: string) => () => notFound(`No user has the id ${JSON.stringify(id)}`);

/** The account operations: every write of a user passes through here, where the account rules live. */
export class Users {
  constructor(private readonly store: Store) {}

  async create(draft: UserDraft): Promise<StoredUser> {
    const passwordHash = draft.password === undefined ? undefined : await hashPassword(draft.password);
    return this.store.users.create({ data: draft.data, passwordHash }).catch((e: unknown) => Promise.reject(translateStoreError(e)));
  }

  async get(id: string): Promise<StoredUser> {
    const user = await this.store.users.get(id);
    if (!user) throw userNotFound(id)();
    return user;
  }

  /**
   * Changes a user through `change`, which sees the current user and returns the new draft
   * (or undefined for no change). Re-run on a concurrent write; see conditionalWrite.
   */
  async modify(id: string, expected: ExpectedVersion, change: (current: StoredUser) => UserDraft | undefined): Promise<StoredUser> {
    return conditionalWrite(
      () => this.store.users.get(id),
      async (current, version) => {
        const draft = change(current);
        if (!draft || (draft.password === undefined && deepEqual(draft.data, current.data))) return 'unchanged';
        const passwordHash = draft.password === undefined ? undefined : await hashPassword(draft.password);
        return this.store.users.update(id, version, { data: draft.data, passwordHash });
      },
      expected,
      userNotFound(id),
    );
  }

  async delete(id: string, expected: ExpectedVersion): Promise<void> {
    await conditionalWrite(() => this.store.users.get(id), (_, version) => this.store.users.delete(id, version), expected, userNotFound(id));
  }

  list(query: ListQuery): Promise<Page<StoredUser>> {
    return this.store.users.list(query);
  }

  groupsOf(ids: readonly string[]): Promise<ReadonlyMap<string, readonly GroupRef[]>> {
    return this.store.users.groupsOf(ids);
  }
}
