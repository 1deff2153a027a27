import { changeJournal } from '../domain/events/journal';
import { eventActorOf, SYSTEM_ORIGIN } from '../domain/events/event-actor';
import type { Principal } from '../domain/principal';
import type { Journal } from '../store/port';

/** The journal of a request's changes: its events name the request's token and id. */
export const journalOf = (actor: Principal, requestId?: string): Journal =>
  changeJournal({ actor: eventActorOf(actor), ...(requestId === undefined ? {} : { requestId }) });

/** Roster's own changes (retention, delivery) and its reads outside a request. */
export const SYSTEM_JOURNAL: Journal = changeJournal(SYSTEM_ORIGIN);
