import type { Change, EventDraft, EventOrigin, Journal } from '../../store/port';
import { clientEvents } from './client-events';
import { groupEvents } from './group-events';
import { tenantEvents } from './tenant-events';
import { tokenEvents } from './token-events';
import { userEvents } from './user-events';
import { webhookEvents } from './webhook-events';

/**
 * The domain's rules for turning a committed change into events, bound to the origin of the
 * writes (the request's actor and id; the store adds them to each event with its id, tenant
 * and time). Drafting is pure: a store may call it again when it retries a transaction.
 */
export function changeJournal(origin: EventOrigin): Journal {
  return { origin, draft: draftEvents };
}

export function draftEvents(change: Change): readonly EventDraft[] {
  switch (change.of) {
    case 'user': return userEvents(change);
    case 'group': return groupEvents(change);
    case 'token': return tokenEvents(change);
    case 'tenant': return tenantEvents(change);
    case 'webhook': return webhookEvents(change);
    case 'client': return clientEvents(change);
  }
}
