import { useState } from 'preact/hooks';
import { deleteWebhook, getWebhook, updateWebhook, type Webhook } from '../../api/webhooks';
import { hrefOf, navigate, type Route } from '../../state/route';
import type { TenantContext } from '../../state/session';
import { useAction, useLoad } from '../../state/use-load';
import { ConfirmButton } from '../common/confirm-button';
import { ErrorNote, Loading } from '../common/states';
import { Time } from '../common/time';
import { DeliveriesList } from './deliveries-list';
import { WebhookForm, type WebhookDraft } from './webhook-form';
import { webhookStatus } from './webhook-list';

/** #/t/{tenant}/webhooks/{id}: one webhook, its settings, pause/resume, delete, and its deliveries. */
export function WebhookDetail({ ctx, route, id }: { ctx: TenantContext; route: Route; id: string }) {
  const loaded = useLoad(() => getWebhook(ctx.session.token, ctx.admin, id), [ctx.admin, ctx.session.token, id]);
  /** What the last action answered: newer than the load, shown until the next load. */
  const [changed, setChanged] = useState<Webhook | undefined>();
  const [editing, setEditing] = useState(false);
  const update = useAction((change: Parameters<typeof updateWebhook>[3]) => updateWebhook(ctx.session.token, ctx.admin, id, change));
  const remove = useAction(() => deleteWebhook(ctx.session.token, ctx.admin, id).then(() => true));
  const webhook = changed?.id === id ? changed : loaded.data;
  const back = <p><a href={hrefOf(['t', ctx.tenantId, 'webhooks'])}>← All webhooks</a></p>;

  if (!webhook) return <>{back}<ErrorNote error={loaded.error} />{loaded.loading ? <Loading what="Reading the webhook" /> : null}</>;

  const change = async (body: Parameters<typeof updateWebhook>[3]) => {
    const updated = await update.run(body);
    if (updated) setChanged(updated);
    return updated;
  };
  const save = async (draft: WebhookDraft) => {
    if (await change({ url: draft.url, events: draft.events, description: draft.description || null })) setEditing(false);
  };
  const status = webhookStatus(webhook);

  return (
    <div class="webhook-page">
      {back}
      <h1>Webhook <span class="hint">{webhook.url}</span></h1>
      {status.pausedByAdmin ? (
        <p class="notice" role="status">
          Paused{webhook.disabledAt ? <> on <Time iso={webhook.disabledAt} /></> : null}: nothing is sent, events keep being recorded, and resuming delivers them (those still kept).
        </p>
      ) : null}
      {!webhook.active && !status.pausedByAdmin ? (
        <p class="error" role="status">
          Roster disabled this webhook on <Time iso={webhook.disabledAt} /> after too many events in a row failed: {webhook.disabledReason ?? 'no reason recorded'}.
          Resume it to deliver the events recorded since (those still kept).
        </p>
      ) : null}
      <div class="actions">
        <span class={`badge ${status.badge}`} data-testid="webhook-status">{status.label}</span>
        {webhook.active
          ? <button type="button" disabled={update.busy} onClick={() => change({ active: false })}>Pause deliveries</button>
          : <button type="button" class="primary" disabled={update.busy} onClick={() => change({ active: true })}>Resume deliveries</button>}
        {editing ? null : <button type="button" onClick={() => { setEditing(true); update.clear(); }}>Edit</button>}
        <ConfirmButton label="Delete webhook" question="Delete this webhook and its deliveries?" disabled={remove.busy}
          onConfirm={async () => { if (await remove.run()) navigate(['t', ctx.tenantId, 'webhooks']); }} />
      </div>
      {!editing ? <ErrorNote error={update.error} /> : null}
      <ErrorNote error={remove.error} />
      {editing ? (
        <section class="card" aria-labelledby="edit-webhook-title">
          <h2 id="edit-webhook-title">Edit webhook</h2>
          <WebhookForm initial={webhook} submitLabel="Save changes" busy={update.busy} error={update.error} onSubmit={save} onCancel={() => { setEditing(false); update.clear(); }} />
        </section>
      ) : (
        <dl class="props card">
          <dt>URL</dt><dd>{webhook.url}</dd>
          <dt>Events</dt><dd>{webhook.events.map((e) => <code key={e} class="pattern">{e} </code>)}</dd>
          <dt>Description</dt><dd>{webhook.description ?? '—'}</dd>
          <dt>Failed in a row</dt><dd>{webhook.consecutiveFailures} (Roster disables a webhook after WEBHOOK_DISABLE_AFTER, 10 by default)</dd>
          <dt>Created</dt><dd><Time iso={webhook.created} /></dd>
          <dt>Last modified</dt><dd><Time iso={webhook.lastModified} /></dd>
          <dt>Id</dt><dd><code>{webhook.id}</code></dd>
        </dl>
      )}
      <DeliveriesList ctx={ctx} route={route} webhookId={id} />
    </div>
  );
}
