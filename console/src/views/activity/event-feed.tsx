import { readEvents, type ChangeEvent } from '../../api/events';
import { hrefOf, navigate, type Route } from '../../state/route';
import type { TenantContext } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { EventSummary } from '../common/event-summary';
import { EmptyState, ErrorNote, Loading } from '../common/states';
import { cursorOf } from './cursor';
import { EventFilters, type FeedFilters } from './event-filters';

const PAGE = 50;

/**
 * The tenant's change events, newest first, filtered by type, actor and resource; "Older" pages
 * with the feed's `before` cursor. Filters and cursor live in the address.
 */
export function EventFeed({ ctx, route }: { ctx: TenantContext; route: Route }) {
  const q = route.query;
  const filters: FeedFilters = { type: q.get('type') ?? '', actor: q.get('actor') ?? '', resource: q.get('resource') ?? '' };
  const before = cursorOf(q.get('before'));
  const page = useLoad(() => readEvents(ctx.session.token, ctx.admin, {
    order: 'newest', before, limit: PAGE,
    type: filters.type || undefined, actor: filters.actor || undefined, resourceId: filters.resource || undefined,
  }), [ctx.admin, ctx.session.token, filters.type, filters.actor, filters.resource, before]);
  const at = (query: Partial<FeedFilters> & { before?: number }) => ({ view: 'events', ...filters, ...query });
  const go = (query: Partial<FeedFilters> & { before?: number }) => navigate(['t', ctx.tenantId, 'activity'], at({ before: undefined, ...query }));
  const filtered = filters.type !== '' || filters.actor !== '' || filters.resource !== '';

  return (
    <section aria-labelledby="feed-title">
      <h2 id="feed-title" class="visually-hidden">Events</h2>
      <EventFilters filters={filters} onApply={(next) => go({ ...next })} />
      <ErrorNote error={page.error} />
      {page.loading && !page.data ? <Loading what="Reading the events" /> : null}
      {page.data && page.data.events.length === 0 ? (
        <EmptyState title={emptyTitle(filtered, before, page.data.next)}>
          {filtered ? <a href={hrefOf(['t', ctx.tenantId, 'activity'], { view: 'events' })}>Show every event</a>
            : 'Every change to this tenant (a user created by an identity provider, a member removed, a token revoked) appears here.'}
        </EmptyState>
      ) : null}
      {page.data?.events.length ? (
        <ol class="event-list" aria-label={before ? `Events before #${before}, newest first` : 'Events, newest first'} aria-busy={page.loading}>
          {page.data.events.map((event) => (
            <li key={event.id}>
              <EventSummary event={event} />
              <EventLinks ctx={ctx} event={event} filters={filters} />
            </li>
          ))}
        </ol>
      ) : null}
      <nav class="pager" aria-label="Pages of events">
        {before ? <a href={hrefOf(['t', ctx.tenantId, 'activity'], at({ before: undefined }))}>↑ Newest</a> : null}
        {page.data?.next !== undefined ? <button type="button" onClick={() => go({ before: page.data?.next })}>Older →</button> : null}
      </nav>
    </section>
  );
}

/**
 * An empty page: a filtered read examines a bounded stretch of the feed, so an empty page with a
 * `next` only means none matched in that stretch ("Older" looks further back).
 */
function emptyTitle(filtered: boolean, before: number | undefined, next: number | undefined): string {
  if (filtered && next !== undefined) return 'No matching events among the latest ones examined: look further back with "Older".';
  if (filtered) return 'No events match these filters.';
  return before ? 'No older events.' : 'No events yet.';
}

/** Ways on from an event: the same actor's or resource's other events, and the user's page. */
function EventLinks({ ctx, event, filters }: { ctx: TenantContext; event: ChangeEvent; filters: FeedFilters }) {
  const here = (query: Partial<FeedFilters>) => hrefOf(['t', ctx.tenantId, 'activity'], { view: 'events', ...filters, ...query });
  return (
    <p class="event-links">
      {event.actor.tokenId && event.actor.tokenId !== filters.actor ? <a href={here({ actor: event.actor.tokenId })}>Only by {event.actor.tokenName ?? 'this token'}</a> : null}
      {event.resource.id !== filters.resource ? <a href={here({ resource: event.resource.id })}>Only this {event.resource.type.toLowerCase()}</a> : null}
      {event.resource.type === 'User' && event.type !== 'user.erased' ? <a href={hrefOf(['t', ctx.tenantId, 'users', event.resource.id])}>Open user</a> : null}
      {event.resource.type === 'Group' && event.type !== 'group.deleted' ? <a href={hrefOf(['t', ctx.tenantId, 'groups', event.resource.id])}>Open group</a> : null}
    </p>
  );
}
