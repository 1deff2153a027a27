import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { TokenRecord, TokenStore } from '../store/port';

/** What a bearer token authenticates as. Service tokens are for IdPs and have full provisioning rights. */
export interface Principal {
  readonly tokenId: string;
  readonly tokenName: string;
}

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
  constructor(private readonly store: TokenStore, private readonly now: () => Date = () => new Date()) {}

  async create(name: string, expiresInMs?: number): Promise<{ token: TokenRecord; secret: string }> {
    const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const created = this.now();
    const expires = expiresInMs === undefined ? undefined : new Date(created.getTime() + expiresInMs).toISOString();
    const token = await this.store.create({ id: randomUUID(), name, hash: hashToken(secret), created: created.toISOString(), expires });
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
    if (!token.lastUsed || now.getTime() - Date.parse(token.lastUsed) > TOUCH_INTERVAL_MS) await this.store.touch(token.id, now.toISOString());
    return { ok: true, principal: { tokenId: token.id, tokenName: token.name } };
  }

  list(): Promise<readonly TokenRecord[]> {
    return this.store.list();
  }

  revoke(id: string): Promise<boolean> {
    return this.store.revoke(id, this.now().toISOString());
  }
}
