import { useState } from 'preact/hooks';
import { readEvents, type ChangeEvent } from '../../api/events';
import { hrefOf } from '../../state/route';
import type { TenantContext } from '../../state/session';
import { useAction, useLoad } from '../../state/use-load';
import { EventSummary } from '../common/event-summary';
import { EmptyState, ErrorNote, Loading } from '../common/states';

/** Events per feed request: the feed's largest page. */
const PAGE = 1000;
/** Feed pages read before showing anything: a user's history is short; a longer one offers to read on. */
const PAGES_AT_ONCE = 5;
/** Events shown at first, then this many more per "Show older events". */
const SHOWN = 50;

interface Trail { readonly events: ChangeEvent[]; readonly next: number; readonly done: boolean }

/**
 * The feed of one resource, oldest first, followed with after=next until it is caught up (a
 * page shorter than asked, or next equal to after) or `pages` pages were read.
 */
async function follow(read: (after: number) => Promise<{ events: ChangeEvent[]; next?: number }>, after: number, pages: number): Promise<Trail> {
  const events: ChangeEvent[] = [];
  let next = after;
  for (let i = 0; i < pages; i++) {
    const page = await read(next);
    events.push(...page.events);
    const caughtUp = page.next === undefined || page.next === next || page.events.length < PAGE;
    next = page.next ?? next;
    if (caughtUp) return { events, next, done: true };
  }
  return { events, next, done: false };
}

/**
 * The user's history from the event feed (resourceId = the user: its own events and its group
 * memberships): who changed what, when, before → after. The feed is oldest first; the page shows
 * the newest first.
 */
export function HistoryTab({ ctx, userId }: { ctx: TenantContext; userId: string }) {
  const { token } = ctx.session;
  const read = (after: number) => readEvents(token, ctx.admin, { resourceId: userId, after, limit: PAGE });
  const first = useLoad(() => follow(read, 0, PAGES_AT_ONCE), [token, ctx.admin, userId]);
  const [more, setMore] = useState<Trail | undefined>();
  const [shown, setShown] = useState(SHOWN);
  const readOn = useAction(async () => {
    const from = more ?? first.data!;
    const further = await follow(read, from.next, PAGES_AT_ONCE);
    setMore({ events: [...(more?.events ?? []), ...further.events], next: further.next, done: further.done });
  });

  if (first.error) return <ErrorNote error={first.error} />;
  if (!first.data) return <Loading what="Reading the user's history" />;
  const trail = more ?? first.data;
  const events = [...first.data.events, ...(more?.events ?? [])].reverse();
  const refresh = () => { setMore(undefined); setShown(SHOWN); first.reload(); };

  return (
    <section aria-label="History">
      <div class="toolbar">
        <p class="hint">
          {events.length.toLocaleString('en')} {events.length === 1 ? 'event' : 'events'}, newest first. The same events, with filters, on the{' '}
          <a href={hrefOf(['t', ctx.tenantId, 'activity'], { view: 'events', resource: userId })}>Activity</a> page.
        </p>
        <button type="button" onClick={refresh} disabled={first.loading}>Refresh</button>
      </div>
      <ErrorNote error={readOn.error} />
      {trail.done ? null : (
        <p class="notice">
          This user has more than {events.length.toLocaleString('en')} events: the newest are not read yet.{' '}
          <button type="button" onClick={() => void readOn.run()} disabled={readOn.busy}>{readOn.busy ? 'Reading…' : 'Read newer events'}</button>
        </p>
      )}
      {events.length === 0 ? (
        <EmptyState title="No events recorded for this user.">Events older than the tenant's event retention are no longer kept.</EmptyState>
      ) : (
        <ol class="history" aria-label="Events, newest first">
          {events.slice(0, shown).map((event) => <li key={event.id}><EventSummary event={event} /></li>)}
        </ol>
      )}
      {events.length > shown ? (
        <button type="button" onClick={() => setShown(shown + SHOWN)}>Show older events ({(events.length - shown).toLocaleString('en')} more)</button>
      ) : null}
    </section>
  );
}
