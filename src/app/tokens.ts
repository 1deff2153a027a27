import { randomUUID } from 'node:crypto';
import { conflict } from '../scim/errors';
import type { TokenRecord, TokenStore } from '../store/port';
import { hashToken, newTokenSecret } from '../domain/token-secret';

export { hashToken };

/** Whether a token issued at `issued` (ISO time) may act as that user now: see tokenIsCurrent. */
export type UserAcceptsToken = (userId: string, issued: string) => Promise<boolean>;

/**
 * The tokens of one scope (a tenant's, or the operators'): issued with a random secret shown
 * once, kept only as its hash.
 */
export class Tokens {
  /**
   * `userAccepts` tells whether a user-bound token would act for its user now
   * (Users.acceptsToken); without it, no user-bound token is issued.
   */
  constructor(
    private readonly store: TokenStore,
    private readonly now: () => Date = () => new Date(),
    private readonly userAccepts: UserAcceptsToken = async () => false,
  ) {}

  /** A service token (an operator token in the operators' scope). */
  create(name: string, expiresInMs?: number): Promise<{ token: TokenRecord; secret: string }> {
    return this.issue({ name, created: this.now(), expiresInMs });
  }

  /**
   * A token for a user who would accept it right now (Active, see tokenIsCurrent). The issue
   * time is taken before the user is checked: should a deactivation or deletion land between
   * the check and the insert, the token's time is before it, so the token is dead on arrival.
   */
  async createForUser(userId: string, name: string, expiresInMs?: number): Promise<{ token: TokenRecord; secret: string }> {
    const created = this.now();
    if (!(await this.userAccepts(userId, created.toISOString()))) {
      throw conflict('Tokens are issued only to Active users: this user is not Active (activate the account first)');
    }
    return this.issue({ name, created, expiresInMs, userId });
  }

  /** Service tokens, or with `userId` that user's tokens. */
  list(userId?: string): Promise<readonly TokenRecord[]> {
    return this.store.list(userId);
  }

  get(id: string): Promise<TokenRecord | undefined> {
    return this.store.get(id);
  }

  remove(id: string): Promise<boolean> {
    return this.store.remove(id);
  }

  revoke(id: string): Promise<boolean> {
    return this.store.revoke(id, this.now().toISOString());
  }

  private async issue(t: { name: string; created: Date; expiresInMs?: number; userId?: string }): Promise<{ token: TokenRecord; secret: string }> {
    const secret = newTokenSecret();
    const expires = t.expiresInMs === undefined ? undefined : new Date(t.created.getTime() + t.expiresInMs).toISOString();
    const token = await this.store.create({ id: randomUUID(), name: t.name, hash: hashToken(secret), created: t.created.toISOString(), expires, userId: t.userId });
    return { token, secret };
  }
}
