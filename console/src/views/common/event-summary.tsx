import type { ChangeEvent } from '../../api/events';
import { Time } from './time';

const ACCOUNT_PREFIX = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account:';
const LOCALIZATION_PREFIX = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Localization:';
const ENTERPRISE_PREFIX = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:';

/** An attribute path as an admin reads it: extension URNs left out ("status", not the whole URN). */
export const readablePath = (path: string): string =>
  [ACCOUNT_PREFIX, LOCALIZATION_PREFIX, ENTERPRISE_PREFIX].reduce((p, prefix) => (p.startsWith(prefix) ? p.slice(prefix.length) : p), path);

const shown = (value: unknown): string => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/** Who made a change: the token's name (and user), or Roster itself. */
export function actorText(actor: ChangeEvent['actor']): string {
  if (actor.kind === 'system') return 'Roster (automatic)';
  const who = actor.tokenName ?? actor.tokenId ?? 'unknown token';
  return actor.kind === 'user' ? `${who} (user ${actor.userId ?? ''})` : `${who} (${actor.kind} token)`;
}

/** What an event is about: a user's userName, a group's displayName, or a name. */
export const resourceText = (r: ChangeEvent['resource']): string => `${r.type} ${r.userName ?? r.displayName ?? r.name ?? r.id}`;

/** One event: when, what, who, and each change as before → after (secrets never appear in events). */
export function EventSummary({ event }: { event: ChangeEvent }) {
  return (
    <article class="event" data-event-id={event.id} data-event-type={event.type}>
      <header class="event-head">
        <span class="badge">{event.type}</span>
        <strong>{resourceText(event.resource)}</strong>
        {event.member ? <span> — member {event.member.userName ?? event.member.id}</span> : null}
        <span class="event-meta">by {actorText(event.actor)} · <Time iso={event.occurredAt} /> · #{event.id}</span>
      </header>
      {event.changes?.length ? (
        <ul class="changes">
          {event.changes.map((c) => (
            <li key={c.path}>
              <code>{readablePath(c.path)}</code>{' '}
              {c.changed ? <span>changed (not shown)</span> : <span><span class="before">{shown(c.before)}</span> → <span class="after">{shown(c.after)}</span></span>}
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}
