import { hashToken } from '../domain/token-secret';
import type { Principal } from '../domain/principal';
import type { Store } from '../store/port';
import { verifyToken, type Authentication } from './authenticate';
import { FreshCache } from './fresh-cache';
import type { WriteGenerations } from './write-generations';

/** Tokens remembered at once; past it the oldest go first (an IdP uses one or two). */
const MAX_TOKENS = 10_000;

/**
 * Bearer authentication with each accepted token remembered for up to FRESH_MS (fresh-cache.ts),
 * by the SHA-256 of its secret (never the secret), so a client sending many requests a second
 * costs one token look-up a second instead of one each. What it remembers is the principal,
 * which names the token's own tenant: the tenant check (Application.enter) runs on every request.
 *
 * A remembered token is forgotten at once when this process writes to tokens, clients, tenants
 * or operator tokens, and a user-bound one also when it writes to users (write-generations.ts);
 * no later than its expiry or its account's; and within FRESH_MS of a write by another instance.
 * Refusals are never remembered: a token created a moment ago must work at once, and a flood
 * of random tokens must not fill the memory (the failed-authentication limit deals with those).
 */
export class CredentialCache {
  private readonly accepted: FreshCache<string, Principal>;

  constructor(private readonly store: Store, generations: WriteGenerations, private readonly now: () => Date) {
    this.accepted = new FreshCache(generations, (principal, g) => g.credentials + (principal.kind === 'user' ? g.accounts : 0), MAX_TOKENS);
  }

  async authenticate(secret: string): Promise<Authentication> {
    const now = this.now();
    const hash = hashToken(secret);
    const remembered = this.accepted.read(hash, now);
    if (remembered) return { ok: true, principal: remembered };
    const stamp = this.accepted.stamp(now);
    const { authentication, horizon } = await verifyToken(this.store, hash, now);
    if (authentication.ok) this.accepted.keep(hash, authentication.principal, stamp, horizon);
    return authentication;
  }
}
