import { randomUUID } from 'node:crypto';
import type { Credentials, Store, StoredUser, TokenRecord } from '../store/port';
import { expiresAtOf } from '../domain/account/expiry';
import { hashToken } from '../domain/token-secret';
import { tokenIsCurrent } from '../domain/token-validity';
import type { Principal } from '../domain/principal';
import { SYSTEM_JOURNAL } from './journals';

export type Authentication = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: string };

const BOOTSTRAP_NAME = 'bootstrap';
/** last_used is recorded at most once a minute per token, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Who a bearer secret is. The token is found by its hash in every tenant at once (the only
 * look-up across tenants); its record says which tenant it belongs to, or none for an operator.
 */
export async function authenticate(store: Store, secret: string, now: Date = new Date()): Promise<Authentication> {
  return (await verifyToken(store, hashToken(secret), now)).authentication;
}

/** A verdict, and until when an acceptance holds if nothing is written: the token's expiry, or its user account's. */
export interface Verdict {
  readonly authentication: Authentication;
  /** Milliseconds since the epoch; Infinity when neither expires. */
  readonly horizon: number;
}

/** authenticate, by the secret's hash (already computed by the caller that caches verdicts by it). */
export async function verifyToken(store: Store, hash: string, now: Date): Promise<Verdict> {
  const refused = (reason: string): Verdict => ({ authentication: { ok: false, reason }, horizon: now.getTime() });
  const token = await store.credentials.findByHash(hash);
  if (!token) return refused('The bearer token is not valid');
  if (token.revoked) return refused('The bearer token has been revoked');
  const expires = token.expires ? Date.parse(token.expires) : Infinity;
  if (expires <= now.getTime()) return refused('The bearer token has expired');
  let accountEnds = Infinity;
  if (token.userId) {
    const user = await userOf(store, token);
    if (!user || !tokenIsCurrent(user, token.created, now)) {
      return refused('The bearer token no longer works: its user is no longer active (or its account has expired), or was deactivated or deleted after it was issued');
    }
    accountEnds = expiresAtOf(user.data) ?? Infinity;
  }
  if (!token.lastUsed || now.getTime() - Date.parse(token.lastUsed) > TOUCH_INTERVAL_MS) await store.credentials.touch(token.id, now.toISOString());
  return { authentication: { ok: true, principal: principalOf(token) }, horizon: Math.min(expires, accountEnds) };
}

async function userOf(store: Store, token: TokenRecord): Promise<StoredUser | undefined> {
  if (token.tenantId === undefined) return undefined;
  return store.tenant(token.tenantId, SYSTEM_JOURNAL).users.get(token.userId!);
}

function principalOf(token: TokenRecord): Principal {
  const base = { tokenId: token.id, tokenName: token.name };
  if (token.tenantId === undefined) return { kind: 'operator', ...base };
  if (token.clientId !== undefined) return clientPrincipal(token.tenantId, token.clientId, token.name);
  return token.userId ? { kind: 'user', ...base, tenantId: token.tenantId, userId: token.userId } : { kind: 'service', ...base, tenantId: token.tenantId };
}

/**
 * An OAuth client acting through an access token: a service of its tenant, named by the client
 * (its id as tokenId, its name as tokenName; see Principal), whichever access token it holds now.
 */
export const clientPrincipal = (tenantId: string, clientId: string, name: string): Principal =>
  ({ kind: 'service', tokenId: clientId, tokenName: name, tenantId, clientId });

/**
 * SCIM_BOOTSTRAP_TOKEN, at every start: the secret the variable holds now is the one bootstrap
 * token (an operator token, created if missing, stored by its hash only), and every other
 * bootstrap token is removed, so a changed or removed variable retires the old secret. A
 * bootstrap token someone revoked stays revoked.
 */
export async function syncBootstrap(store: Pick<Store, 'operators' | 'credentials'>, secret: string | undefined, now: Date = new Date()): Promise<void> {
  const credentials: Credentials = store.credentials;
  const keep = secret === undefined ? undefined : hashToken(secret);
  for (const token of await credentials.listBootstrap()) {
    if (token.hash !== keep) await store.operators.remove(token.id);
  }
  if (keep === undefined || (await credentials.findByHash(keep))) return;
  const record = { id: randomUUID(), name: BOOTSTRAP_NAME, hash: keep, created: now.toISOString(), bootstrap: true as const };
  // Several instances may start at once: the unique hash lets one insert win.
  await store.operators.create(record).catch(async (error: unknown) => {
    if (!(await credentials.findByHash(keep))) throw error;
  });
}
