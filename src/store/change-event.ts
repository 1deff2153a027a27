import type { ChangeEvent, EventDraft, EventOrigin } from './events-port';

/**
 * An event as recorded: the draft with the id the store allocated, its tenant, the store's time
 * of the change and the origin. Key order is the order readers see (JSON keeps it).
 */
export function changeEvent(id: number, tenant: string, occurredAt: string, origin: EventOrigin, draft: EventDraft): ChangeEvent {
  return {
    id,
    type: draft.type,
    tenant,
    occurredAt,
    actor: origin.actor,
    ...(origin.requestId === undefined ? {} : { requestId: origin.requestId }),
    resource: draft.resource,
    ...(draft.member === undefined ? {} : { member: draft.member }),
    ...(draft.changes === undefined ? {} : { changes: draft.changes }),
  };
}

/** The token an event's actor used, for the feed's `actor` filter (none for Roster's own work). */
export const actorTokenIdOf = (event: ChangeEvent): string | undefined =>
  event.actor.kind === 'system' ? undefined : event.actor.tokenId;

/**
 * Which of the events a feed page examined it keeps, and where the next page starts: the
 * rule of EventPage.next, shared by the adapters (each only lists what it examined, in id order).
 */
export function pickEvents(examined: readonly { readonly id: number; readonly type: string }[], query: { after: number; before?: number; limit: number; scan: number; type?: (type: string) => boolean }): { ids: number[]; next: number; more?: boolean } {
  const ids: number[] = [];
  // Newest first, the adapters examined in descending id order; fewer than they might examine means the oldest was reached.
  const more = query.before === undefined ? undefined : examined.length >= examineCount(query);
  const withMore = <T extends object>(page: T) => (more === undefined ? page : { ...page, more });
  for (const [at, event] of examined.entries()) {
    if (query.type && !query.type(event.type)) continue;
    ids.push(event.id);
    if (ids.length === query.limit) return withMore({ ids, next: event.id, ...(more === undefined ? {} : { more: more || at < examined.length - 1 }) });
  }
  return withMore({ ids, next: examined.length ? examined[examined.length - 1].id : query.before ?? query.after });
}

/** How many events a page needs to examine: with no type filter, every one examined is kept. */
export const examineCount = (query: { limit: number; scan: number; type?: unknown }): number =>
  query.type ? query.scan : Math.min(query.limit, query.scan);
