import { randomUUID } from 'node:crypto';
import type { Credentials, Store, TokenRecord } from '../store/port';
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
  const token = await store.credentials.findByHash(hashToken(secret));
  if (!token) return { ok: false, reason: 'The bearer token is not valid' };
  if (token.revoked) return { ok: false, reason: 'The bearer token has been revoked' };
  if (token.expires && Date.parse(token.expires) <= now.getTime()) return { ok: false, reason: 'The bearer token has expired' };
  if (token.userId && !(await userAccepts(store, token, now))) {
    return { ok: false, reason: 'The bearer token no longer works: its user is no longer active (or its account has expired), or was deactivated or deleted after it was issued' };
  }
  if (!token.lastUsed || now.getTime() - Date.parse(token.lastUsed) > TOUCH_INTERVAL_MS) await store.credentials.touch(token.id, now.toISOString());
  return { ok: true, principal: principalOf(token) };
}

async function userAccepts(store: Store, token: TokenRecord, now: Date): Promise<boolean> {
  if (token.tenantId === undefined) return false;
  const user = await store.tenant(token.tenantId, SYSTEM_JOURNAL).users.get(token.userId!);
  return user !== undefined && tokenIsCurrent(user, token.created, now);
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
