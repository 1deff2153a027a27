import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { TokenRecord, TokenStore } from '../store/port';

/** What a bearer token authenticates as. Service tokens are for IdPs and have full provisioning rights. */
export type Principal =
  | { readonly kind: 'service'; readonly tokenId: string; readonly tokenName: string }
  | { readonly kind: 'user'; readonly tokenId: string; readonly tokenName: string; readonly userId: string };

export type Authentication = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: string };

const TOKEN_PREFIX = 'roster_';
/** last_used is recorded at most once a minute per token, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export const hashToken = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/**
 * Bearer tokens: 256 random bits, shown once at creation, kept only as a SHA-256 hash.
 * (A fast hash is right here: the secret has full entropy, so it cannot be guessed offline.)
 */
export class Tokens {
  /**
   * `userIsActive` tells whether a user-bound token's user may still use it (exists, not deleted,
   * Active); without it, user-bound tokens are refused.
   */
  constructor(
    private readonly store: TokenStore,
    private readonly now: () => Date = () => new Date(),
    private readonly userIsActive: (userId: string) => Promise<boolean> = async () => false,
  ) {}

  /** A service token, or with `userId` a token that acts as that user. */
  async create(name: string, expiresInMs?: number, userId?: string): Promise<{ token: TokenRecord; secret: string }> {
    const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const created = this.now();
    const expires = expiresInMs === undefined ? undefined : new Date(created.getTime() + expiresInMs).toISOString();
    const token = await this.store.create({ id: randomUUID(), name, hash: hashToken(secret), created: created.toISOString(), expires, userId });
    return { token, secret };
  }

  /** SCIM_BOOTSTRAP_TOKEN: accepted as a service token; only its hash is stored. */
  async ensureBootstrap(secret: string): Promise<TokenRecord> {
    const existing = await this.store.findByHash(hashToken(secret));
    if (existing) return existing;
    return this.store.create({ id: randomUUID(), name: 'bootstrap', hash: hashToken(secret), created: this.now().toISOString() });
  }

  async authenticate(secret: string): Promise<Authentication> {
    const token = await this.store.findByHash(hashToken(secret));
    const now = this.now();
    if (!token) return { ok: false, reason: 'The bearer token is not valid' };
    if (token.revoked) return { ok: false, reason: 'The bearer token has been revoked' };
    if (token.expires && Date.parse(token.expires) <= now.getTime()) return { ok: false, reason: 'The bearer token has expired' };
    if (token.userId && !(await this.userIsActive(token.userId))) {
      return { ok: false, reason: 'The bearer token belongs to a user who is no longer active' };
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
}
