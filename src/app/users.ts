import type { BatchResult, DeletedUser, ExpectedVersion, GroupRef, ListQuery, Page, StoredUser, TenantStore, UserKey, UserWrite } from '../store/port';
import { notFound } from '../scim/errors';
import { deepEqual, type JsonObject } from '../scim/values/json';
import { checkSelfChange, checkSelfRequest, checkWriteAccess, isSelf, isWriter } from '../domain/access';
import { applyAccountRules, type AccountPolicy, type WriteKind } from '../domain/account/account-rules';
import { restartedInactivity } from '../domain/account/inactive-since';
import { confirmCurrentPassword, hashPassword } from '../domain/passwords';
import { checkSelfServiceScope } from '../domain/self-service';
import { tokenIsCurrent } from '../domain/token-validity';
import { afterOwnPasswordChange } from '../domain/account/password-change';
import type { Principal } from '../domain/principal';
import { conditionalWrite } from './conditional-write';
import { nextTurn } from './next-turn';
import { asScimFailure, scimErrorOf } from './failures';

/** A user as a client asked for it: attributes already validated against the schema. */
export interface UserDraft {
  readonly data: JsonObject;
  /** A new password, in clear, to be hashed; undefined keeps the current one. */
  readonly password?: string;
  /** The current password, in clear, which a user changing their own password must give. */
  readonly currentPassword?: string;
}

/** Drafts of a batch prepared between two turns of the event loop. */
const TURN_EVERY = 10;

const userNotFound = (id: string) => () => notFound(`No user has the id ${JSON.stringify(id)}`);

/**
 * The account operations of one tenant: every write of a user passes through here, where the
 * account rules are applied under the tenant's policy.
 */
export class Users {
  constructor(
    private readonly store: TenantStore,
    private readonly policy: AccountPolicy,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(draft: UserDraft, actor: Principal): Promise<StoredUser> {
    await this.checkWriter(actor);
    return this.store.users.create(await this.prepareCreate(draft)).catch(asScimFailure);
  }

  /**
   * Creates users as `create` would, one after another, but written together (the store's
   * createMany: one transaction, a savepoint per user), so an import pays for one commit per
   * batch rather than per user. Each draft is a function that validates its body and returns the
   * draft (or throws, as the single request's validation would): the same steps in the same
   * order as a single request, so each result, success or error, is the single request's.
   * The writer check runs once for the batch: creating users changes nobody's access.
   */
  async createMany(drafts: readonly (() => UserDraft)[], actor: Principal): Promise<BatchResult<StoredUser>[]> {
    const results: BatchResult<StoredUser>[] = new Array(drafts.length);
    const prepared: { position: number; write: Promise<UserWrite> }[] = [];
    let writer: Promise<void> | undefined;
    for (const [i, draftOf] of drafts.entries()) {
      // Validating a user takes a fraction of a millisecond: other requests get a turn now and then.
      if (i > 0 && i % TURN_EVERY === 0) await nextTurn();
      try {
        const draft = draftOf();
        await (writer ??= this.checkWriter(actor));
        // Not awaited here: the passwords of a batch are hashed side by side in the thread pool.
        const write = this.prepareCreate(draft);
        write.catch(() => undefined);
        prepared.push({ position: i, write });
      } catch (failed) {
        results[i] = { failed };
      }
    }
    const writes: UserWrite[] = [];
    const positions: number[] = [];
    for (const { position, write } of prepared) {
      try {
        writes.push(await write);
        positions.push(position);
      } catch (failed) {
        results[position] = { failed };
      }
    }
    const written = await this.writeMany(writes);
    written.forEach((result, k) => { results[positions[k]] = 'failed' in result ? { failed: scimErrorOf(result.failed) ?? result.failed } : result; });
    return results;
  }

  /**
   * The batch in one write; when it fails as a whole (not one user's taken userName: the store
   * has written none of it), one create at a time, so each user fails or succeeds as it would
   * have alone.
   */
  private async writeMany(writes: readonly UserWrite[]): Promise<readonly BatchResult<StoredUser>[]> {
    if (writes.length === 0) return [];
    try {
      return await this.store.users.createMany(writes);
    } catch {
      const results: BatchResult<StoredUser>[] = [];
      for (const write of writes) results.push(await this.store.users.create(write).then((created) => ({ created }), (failed: unknown) => ({ failed })));
      return results;
    }
  }

  /** What a create stores: the account rules applied under the tenant's policy, the password hashed. */
  private async prepareCreate(draft: UserDraft): Promise<UserWrite> {
    const data = applyAccountRules(undefined, draft.data, 'create', this.policy, this.now().toISOString());
    const passwordHash = draft.password === undefined ? undefined : await hashPassword(draft.password);
    return { data, passwordHash };
  }

  async get(id: string): Promise<StoredUser> {
    const user = await this.store.users.get(id);
    if (!user) throw userNotFound(id)();
    return user;
  }

  /**
   * Changes a user through `change`, which sees the current user and returns the new draft
   * (or undefined for no change); the account rules then decide what is stored. Re-run on a
   * concurrent write; see conditionalWrite.
   */
  async modify(id: string, expected: ExpectedVersion, kind: WriteKind, change: (current: StoredUser) => UserDraft | undefined, actor: Principal): Promise<StoredUser> {
    // 000, 004 (My Account): every active user may edit their own profile and password; what
    // they may not change about themselves is checkSelfService's job.
    const self = isSelf(actor, id);
    if (!self) await this.checkWriter(actor);
    return conditionalWrite(
      () => this.store.users.get(id),
      async (current, version) => {
        const draft = change(current);
        if (!draft) return 'unchanged';
        checkSelfRequest(actor, id, current.data, draft.data, kind);
        const now = this.now().toISOString();
        const ruled = applyAccountRules(current.data, draft.data, kind, this.policy, now);
        if (self) await checkSelfService(actor, current, ruled, draft);
        // The user chose a new password themselves: what forcePasswordChange asked for is done.
        const data = self && draft.password !== undefined ? afterOwnPasswordChange(ruled) : ruled;
        if (draft.password === undefined && deepEqual(data, current.data)) return 'unchanged';
        const passwordHash = draft.password === undefined ? undefined : await hashPassword(draft.password);
        const result = await this.store.users.update(id, version, { data, passwordHash });
        // Deactivated: the next activation's activatedAt retires the user's tokens for good
        // (tokenIsCurrent); marking them revoked now shows it in token lists.
        const deactivated = result.status === 'updated' && current.data.active === true && data.active !== true;
        if (deactivated) await this.store.tokens.revokeOfUser(id, now);
        return result;
      },
      expected,
      userNotFound(id),
    );
  }

  /** Soft delete: hidden everywhere, kept with its memberships until purged or restored. */
  async delete(id: string, expected: ExpectedVersion, actor: Principal): Promise<void> {
    await this.checkWriter(actor);
    await conditionalWrite(
      () => this.store.users.get(id),
      (current, version) => {
        checkSelfChange(actor, id, current.data, undefined);
        return this.store.users.delete(id, version);
      },
      expected,
      userNotFound(id),
    );
    // The store's lastDeletedAt already retired them (tokenIsCurrent); this shows it in token lists.
    await this.store.tokens.revokeOfUser(id, this.now().toISOString());
  }

  /**
   * 001's restore: by id or userName, with its group memberships. A restored Inactive account's
   * inactivity clock starts again (restartedInactivity), so the next retention sweep does not
   * delete it again at once.
   */
  async restore(key: UserKey, actor: Principal): Promise<StoredUser> {
    await this.checkWriter(actor);
    const restored = await this.store.users.restore(key);
    if (!restored) throw notFound(`No deleted user has the ${'id' in key ? `id ${JSON.stringify(key.id)}` : `userName ${JSON.stringify(key.userName)}`}`);
    if (!restartedInactivity(restored.data, this.now().toISOString())) return restored;
    // A second write (user.updated after user.restored): the store's restore takes no attributes.
    // Re-run on a concurrent write, which may have made the account Active meanwhile. A crash in
    // between leaves the old clock: the next sweep may delete the user again, and a restore fixes it.
    return conditionalWrite(
      () => this.store.users.get(restored.id),
      async (current, version) => {
        const data = restartedInactivity(current.data, this.now().toISOString());
        return data ? this.store.users.update(current.id, version, { data }) : 'unchanged';
      },
      undefined,
      userNotFound(restored.id),
    );
  }

  /** The soft-deleted users an administrator may restore (each with deletedAt): who may restore may list them. */
  async listDeleted(query: ListQuery, actor: Principal): Promise<Page<DeletedUser>> {
    await this.checkWriter(actor);
    return this.store.users.listDeleted(query).catch(asScimFailure);
  }

  list(query: ListQuery): Promise<Page<StoredUser>> {
    return this.store.users.list(query);
  }

  groupsOf(ids: readonly string[]): Promise<ReadonlyMap<string, readonly GroupRef[]>> {
    return this.store.users.groupsOf(ids);
  }

  /** Whether the user exists, is not deleted, and is Active. */
  async isActive(id: string): Promise<boolean> {
    const user = await this.store.users.get(id);
    return user?.data.active === true;
  }

  /** Whether a token of this user issued at `issued` may act as the user now (tokenIsCurrent). */
  async acceptsToken(userId: string, issued: string): Promise<boolean> {
    const user = await this.store.users.get(userId);
    return user !== undefined && tokenIsCurrent(user, issued, this.now());
  }

  /** The writer check shared with groups: service tokens, or an Active SuperAdmin's token. */
  async checkWriter(actor: Principal): Promise<void> {
    const user = actor.kind === 'user' ? await this.store.users.get(actor.userId) : undefined;
    checkWriteAccess(actor, user?.data);
  }
}

/**
 * A user acting on themselves. Nobody changes their own access (checkSelfChange); a user without
 * write access changes only their profile (checkSelfServiceScope); and a new password needs the
 * current one, writer or not (a stolen token must not be enough to take the password over).
 */
async function checkSelfService(actor: Principal, current: StoredUser, data: JsonObject, draft: UserDraft): Promise<void> {
  checkSelfChange(actor, current.id, current.data, data);
  if (!isWriter(actor, current.data)) checkSelfServiceScope(current.data, data);
  if (draft.password !== undefined) await confirmCurrentPassword(draft.currentPassword, current.passwordHash);
}
