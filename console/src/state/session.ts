import { useEffect, useState } from 'preact/hooks';
import { ApiError, whenUnauthorized } from '../api/http';
import { ScimApi } from '../api/scim';
import { adminPathOf, scimPathOf, whoami, type Whoami } from '../api/session-api';

/**
 * The signed-in token lives in sessionStorage only: gone when the tab closes, never in a URL, a
 * cookie or localStorage (issue 14). Nothing else about the session is stored.
 */
const KEY = 'roster.console.token';

export interface Session {
  readonly token: string;
  readonly me: Whoami;
}

/** What a page needs to talk to one tenant. */
export interface TenantContext {
  readonly session: Session;
  readonly tenantId: string;
  readonly scim: ScimApi;
  /** /admin/tenants/{id}: the tenant's admin API. */
  readonly admin: string;
}

export const tenantContext = (session: Session, tenantId: string): TenantContext => ({
  session, tenantId, scim: new ScimApi(session.token, scimPathOf(session.me, tenantId)), admin: adminPathOf(tenantId),
});

type Listener = (session: Session | undefined) => void;
const listeners = new Set<Listener>();
let current: Session | undefined;

const publish = (session: Session | undefined) => {
  current = session;
  for (const listener of listeners) listener(session);
};

/** Checks the token with the server before keeping it; a refused token throws the server's ApiError. */
export async function signIn(token: string): Promise<Session> {
  const trimmed = token.trim();
  if (!trimmed) throw new ApiError(0, 'Paste a token first.');
  const me = await whoami(trimmed);
  sessionStorage.setItem(KEY, trimmed);
  const session = { token: trimmed, me };
  publish(session);
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  publish(undefined);
}

whenUnauthorized(() => {
  if (current) signOut();
});

/** The session, restored from sessionStorage after a reload (re-checked with the server). */
export function useSession(): { session: Session | undefined; restoring: boolean } {
  const [session, setSession] = useState<Session | undefined>(current);
  const [restoring, setRestoring] = useState(current === undefined && sessionStorage.getItem(KEY) !== null);
  useEffect(() => {
    listeners.add(setSession);
    const saved = sessionStorage.getItem(KEY);
    if (!current && saved) {
      signIn(saved).catch(() => signOut()).finally(() => setRestoring(false));
    }
    return () => void listeners.delete(setSession);
  }, []);
  return { session, restoring };
}
