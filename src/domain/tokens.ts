import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { conflict } from '../scim/errors';
import type { TokenRecord, TokenStore } from '../store/port';

/** What a bearer token authenticates as. Service tokens are for IdPs and have full provisioning rights. */
export type Principal =
  | { readonly kind: 'service'; readonly tokenId: string; readonly tokenName: string }
  | { readonly kind: 'user'; readonly tokenId: string; readonly tokenName: string; readonly userId: string };

export type Authentication = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: string };

/** Whether a token issued at `issued` (ISO time) may act as that user now: see tokenIsCurrent. */
export type UserAcceptsToken = (userId: string, issued: string) => Promise<boolean>;

const TOKEN_PREFIX = 'roster_';
const BOOTSTRAP_NAME = 'bootstrap';
/** last_used is recorded at most once a minute per token, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export const hashToken = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/**
 * Bearer tokens: 256 random bits, shown once at creation, kept only as a SHA-256 hash.
 * (A fast hash is right here: the secret has full entropy, so it cannot be guessed offline.)
 */
export class Tokens {
  /**
   * `userAccepts` tells whether a user-bound token still acts for its user (Users.acceptsToken);
   * without it, user-bound tokens are refused.
   */
  constructor(
    private readonly store: TokenStore,
    private readonly now: () => Date = () => new Date(),
    private readonly userAccepts: UserAcceptsToken = async () => false,
  ) {}

  /** A service token, or with `userId` a token that acts as that user (who may have one is the caller's business). */
  create(name: string, expiresInMs?: number, userId?: string): Promise<{ token: TokenRecord; secret: string }> {
    return this.issue({ name, created: this.now(), expiresInMs, userId });
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

  /**
   * SCIM_BOOTSTRAP_TOKEN, at every start: the secret the variable holds now is the one
   * bootstrap token (created if missing, stored by its hash only), and every other bootstrap
   * token is removed, so a changed or removed variable retires the old secret. A bootstrap token
   * someone revoked stays revoked.
   */
  async syncBootstrap(secret: string | undefined): Promise<void> {
    const keep = secret === undefined ? undefined : hashToken(secret);
    for (const token of await this.store.listBootstrap()) {
      if (token.hash !== keep) await this.store.remove(token.id);
    }
    if (keep === undefined || (await this.store.findByHash(keep))) return;
    const record = { id: randomUUID(), name: BOOTSTRAP_NAME, hash: keep, created: this.now().toISOString(), bootstrap: true as const };
    // Several instances may start at once: the unique hash lets one insert win.
    await this.store.create(record).catch(async (error: unknown) => {
      if (!(await this.store.findByHash(keep))) throw error;
    });
  }

  async authenticate(secret: string): Promise<Authentication> {
    const token = await this.store.findByHash(hashToken(secret));
    const now = this.now();
    if (!token) return { ok: false, reason: 'The bearer token is not valid' };
    if (token.revoked) return { ok: false, reason: 'The bearer token has been revoked' };
    if (token.expires && Date.parse(token.expires) <= now.getTime()) return { ok: false, reason: 'The bearer token has expired' };
    if (token.userId && !(await this.userAccepts(token.userId, token.created))) {
      return { ok: false, reason: 'The bearer token no longer works: its user is no longer active, or was deactivated or deleted after it was issued' };
    }
    if (!token.lastUsed || now.getTime() - Date.parse(token.lastUsed) > TOUCH_INTERVAL_MS) await this.store.touch(token.id, now.toISOString());
    const base = { tokenId: token.id, tokenName: token.name };
    return { ok: true, principal: token.userId ? { kind: 'user', ...base, userId: token.userId } : { kind: 'service', ...base } };
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
    const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expires = t.expiresInMs === undefined ? undefined : new Date(t.created.getTime() + t.expiresInMs).toISOString();
    const token = await this.store.create({ id: randomUUID(), name: t.name, hash: hashToken(secret), created: t.created.toISOString(), expires, userId: t.userId });
    return { token, secret };
  }
}
