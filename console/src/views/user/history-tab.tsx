import { useState } from 'preact/hooks';
import { readEvents, type ChangeEvent } from '../../api/events';
import { hrefOf } from '../../state/route';
import type { TenantContext } from '../../state/session';
import { useAction, useLoad } from '../../state/use-load';
import { EventSummary } from '../common/event-summary';
import { EmptyState, ErrorNote, Loading } from '../common/states';

/** Events per feed request, and per "Show older events". */
const PAGE = 50;

interface Trail { readonly events: ChangeEvent[]; readonly before?: number }

/** One page of the user's events below `before`, newest first (order=newest); `before` absent once the oldest is read. */
async function olderThan(read: (before?: number) => Promise<{ events: ChangeEvent[]; next?: number; more?: boolean }>, before?: number): Promise<Trail> {
  const page = await read(before);
  return { events: page.events, ...(page.more && page.next !== undefined ? { before: page.next } : {}) };
}

/**
 * The user's history from the event feed (resourceId = the user: its own events and its group
 * memberships): who changed what, when, before → after, read newest first (order=newest), so
 * the latest change is at the top however long the history is.
 */
export function HistoryTab({ ctx, userId }: { ctx: TenantContext; userId: string }) {
  const { token } = ctx.session;
  const read = (before?: number) => readEvents(token, ctx.admin, { resourceId: userId, order: 'newest', before, limit: PAGE });
  const first = useLoad(() => olderThan(read), [token, ctx.admin, userId]);
  const [older, setOlder] = useState<Trail | undefined>();
  const readOn = useAction(async () => {
    const from = older ?? first.data!;
    const further = await olderThan(read, from.before);
    setOlder({ events: [...(older?.events ?? []), ...further.events], ...(further.before === undefined ? {} : { before: further.before }) });
  });

  if (first.error) return <ErrorNote error={first.error} />;
  if (!first.data) return <Loading what="Reading the user's history" />;
  const trail = older ?? first.data;
  const events = [...first.data.events, ...(older?.events ?? [])];
  const refresh = () => { setOlder(undefined); first.reload(); };

  return (
    <section aria-label="History">
      <div class="toolbar">
        <p class="hint">
          {events.length.toLocaleString('en')} {events.length === 1 ? 'event' : 'events'}{trail.before === undefined ? '' : ' so far'}, newest first. The same events, with filters, on the{' '}
          <a href={hrefOf(['t', ctx.tenantId, 'activity'], { view: 'events', resource: userId })}>Activity</a> page.
        </p>
        <button type="button" onClick={refresh} disabled={first.loading}>Refresh</button>
      </div>
      {events.length === 0 ? (
        <EmptyState title="No events recorded for this user.">Events older than the tenant's event retention are no longer kept.</EmptyState>
      ) : (
        <ol class="history" aria-label="Events, newest first">
          {events.map((event) => <li key={event.id}><EventSummary event={event} /></li>)}
        </ol>
      )}
      <ErrorNote error={readOn.error} />
      {trail.before === undefined ? null : (
        <button type="button" onClick={() => void readOn.run()} disabled={readOn.busy}>{readOn.busy ? 'Reading…' : 'Show older events'}</button>
      )}
    </section>
  );
}
