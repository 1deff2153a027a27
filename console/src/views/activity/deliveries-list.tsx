import { useState } from 'preact/hooks';
import { DELIVERY_STATES, readDeliveries, redeliver, type Delivery, type DeliveryState } from '../../api/webhooks';
import { hrefOf, navigate, type Route } from '../../state/route';
import type { TenantContext } from '../../state/session';
import { useAction, useLoad } from '../../state/use-load';
import { EmptyState, ErrorNote, Loading } from '../common/states';
import { Time } from '../common/time';
import { cursorOf } from './cursor';

const PAGE = 20;

/**
 * A webhook's deliveries, newest first, with each attempt's answer or error; any event can be
 * sent again ("Redeliver"), also one from before the webhook existed. State and page live in
 * the address (#/t/{tenant}/webhooks/{id}?state=failed&before=1042).
 */
export function DeliveriesList({ ctx, route, webhookId }: { ctx: TenantContext; route: Route; webhookId: string }) {
  const stateText = route.query.get('state') ?? '';
  const state = (DELIVERY_STATES as readonly string[]).includes(stateText) ? (stateText as DeliveryState) : undefined;
  const before = cursorOf(route.query.get('before'));
  const page = useLoad(() => readDeliveries(ctx.session.token, ctx.admin, webhookId, { state, before, limit: PAGE }), [ctx.admin, ctx.session.token, webhookId, state, before]);
  const [queued, setQueued] = useState<Delivery | undefined>();
  const retry = useAction((eventId: number) => redeliver(ctx.session.token, ctx.admin, webhookId, eventId));
  const [eventText, setEventText] = useState('');
  const here = ['t', ctx.tenantId, 'webhooks', webhookId];

  const send = async (eventId: number) => {
    setQueued(undefined);
    const delivery = await retry.run(eventId);
    if (delivery) {
      setQueued(delivery);
      page.reload();
    }
  };

  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Deliveries</h2>
      <div class="toolbar">
        <label>
          State
          <select value={state ?? ''} onChange={(e) => navigate(here, { state: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="">Every state</option>
            {DELIVERY_STATES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <button type="button" onClick={page.reload} disabled={page.loading}>Refresh</button>
        <form class="toolbar redeliver-form" aria-label="Send an event again" onSubmit={(e) => { e.preventDefault(); const id = cursorOf(eventText.trim()); if (id) void send(id); }}>
          <label>
            Event id
            <input value={eventText} onInput={(e) => setEventText((e.currentTarget as HTMLInputElement).value)} inputMode="numeric" size={10} placeholder="1042" />
          </label>
          <button type="submit" disabled={retry.busy || !cursorOf(eventText.trim())}>Send event again</button>
        </form>
      </div>
      <ErrorNote error={retry.error} />
      {queued ? (
        <p class="notice redelivered" role="status" data-testid="redelivered">
          Event #{queued.eventId} ({queued.eventType}) is queued again: state {queued.state}
          {queued.nextAttemptAt ? <>, next attempt <Time iso={queued.nextAttemptAt} /></> : null}. The server accepted it (202); Roster sends it in the background.
        </p>
      ) : null}
      <ErrorNote error={page.error} />
      {page.loading && !page.data ? <Loading what="Reading the deliveries" /> : null}
      {page.data && page.data.deliveries.length === 0 ? (
        <EmptyState title={state ? `No ${state} deliveries.` : before ? 'No older deliveries.' : 'No deliveries yet.'}>
          Events that match the webhook's patterns are queued from its creation on and sent in the background. To send an older event, give its id above.
        </EmptyState>
      ) : null}
      {page.data?.deliveries.length ? (
        <table class="deliveries" aria-busy={page.loading}>
          <caption class="visually-hidden">Deliveries, newest first</caption>
          <thead><tr><th scope="col">Event</th><th scope="col">State</th><th scope="col">Queued</th><th scope="col">Next attempt</th><th scope="col">Attempts</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>{page.data.deliveries.map((d) => <DeliveryRow key={d.eventId} ctx={ctx} delivery={d} busy={retry.busy} onRetry={() => send(d.eventId)} />)}</tbody>
        </table>
      ) : null}
      <nav class="pager" aria-label="Pages of deliveries">
        {before ? <a href={hrefOf(here, { state })}>↑ Newest</a> : null}
        {page.data?.next !== undefined ? <button type="button" onClick={() => navigate(here, { state, before: page.data?.next })}>Older →</button> : null}
      </nav>
    </section>
  );
}

const STATE_BADGE: Record<DeliveryState, string> = { pending: 'pending', delivered: 'ok', failed: 'failed' };

function DeliveryRow({ ctx, delivery: d, busy, onRetry }: { ctx: TenantContext; delivery: Delivery; busy: boolean; onRetry: () => void }) {
  return (
    <tr data-event-id={d.eventId}>
      <td>
        <a href={hrefOf(['t', ctx.tenantId, 'activity'], { view: 'events', resource: d.resourceId })} title="This resource's events">#{d.eventId}</a>{' '}
        <code>{d.eventType}</code>
      </td>
      <td><span class={`badge ${STATE_BADGE[d.state]}`}>{d.state}</span></td>
      <td><Time iso={d.queuedAt} /></td>
      <td>{d.state === 'pending' ? <Time iso={d.nextAttemptAt} /> : '—'}</td>
      <td>
        {d.attempts.length === 0 ? <span class="hint">none yet</span> : (
          <ol class="attempts" aria-label={`Attempts for event ${d.eventId}`}>
            {d.attempts.map((a) => (
              <li key={a.at}>
                <Time iso={a.at} /> · {a.statusCode ? `HTTP ${a.statusCode}` : 'no answer'} · {a.durationMs} ms
                {a.error ? <div class="attempt-error">{a.error}</div> : <span class="badge ok">accepted</span>}
              </li>
            ))}
          </ol>
        )}
      </td>
      <td><button type="button" disabled={busy} onClick={onRetry} aria-label={`Redeliver event ${d.eventId}`}>Redeliver</button></td>
    </tr>
  );
}
