import type { EventActor, EventOrigin } from '../../store/events-port';
import type { Principal } from '../principal';

/**
 * The actor an event names for a request's principal: the token as it authenticated (its id
 * and name, which stays readable after the token is removed), and for a user-bound token the
 * user it acts as. The tenant is the event's own, so it is not repeated here.
 */
export function eventActorOf(principal: Principal): EventActor {
  const token = { tokenId: principal.tokenId, tokenName: principal.tokenName };
  if (principal.kind === 'user') return { kind: 'user', ...token, userId: principal.userId };
  return { kind: principal.kind, ...token };
}

/** Roster's own work (the retention purge, webhook delivery): no token, no request. */
export const SYSTEM_ORIGIN: EventOrigin = Object.freeze({ actor: Object.freeze({ kind: 'system' as const }) });
