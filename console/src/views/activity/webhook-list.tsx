import { useState } from 'preact/hooks';
import { createWebhook, listWebhooks, type CreatedWebhook, type Webhook } from '../../api/webhooks';
import { hrefOf } from '../../state/route';
import type { TenantContext } from '../../state/session';
import { useAction, useLoad } from '../../state/use-load';
import { EmptyState, ErrorNote, Loading } from '../common/states';
import { Time } from '../common/time';
import { WebhookForm, type WebhookDraft } from './webhook-form';

/** The reason the store records when an admin sets active: false (DISABLED_BY_ADMINISTRATOR in the stores). */
const PAUSED_REASON = 'disabled by an administrator';

/** Active, paused by an admin, or disabled by Roster after too many events failed in a row. */
export function webhookStatus(webhook: Webhook): { label: string; badge: string; pausedByAdmin: boolean } {
  if (webhook.active) return { label: 'Active', badge: 'Active', pausedByAdmin: false };
  const paused = !webhook.disabledReason || webhook.disabledReason === PAUSED_REASON;
  return paused ? { label: 'Paused', badge: 'Pending', pausedByAdmin: true } : { label: 'Disabled by Roster', badge: 'Inactive', pausedByAdmin: false };
}

/** #/t/{tenant}/webhooks: the tenant's webhooks, and a form to add one (its secret shown once). */
export function WebhookList({ ctx }: { ctx: TenantContext }) {
  const list = useLoad(() => listWebhooks(ctx.session.token, ctx.admin), [ctx.admin, ctx.session.token]);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<CreatedWebhook | undefined>();
  const create = useAction((draft: WebhookDraft) => createWebhook(ctx.session.token, ctx.admin, {
    url: draft.url, events: draft.events, ...(draft.description ? { description: draft.description } : {}),
  }));
  const submit = async (draft: WebhookDraft) => {
    const webhook = await create.run(draft);
    if (!webhook) return;
    setCreated(webhook);
    setAdding(false);
    list.reload();
  };

  return (
    <div class="webhooks-page">
      <div class="section-head">
        <h1>Webhooks</h1>
        {adding ? null : <button type="button" class="primary" onClick={() => { setAdding(true); setCreated(undefined); create.clear(); }}>Add a webhook</button>}
      </div>
      <p class="hint">Roster POSTs each matching change event to these URLs, signed with the webhook's secret, and retries until the receiver answers 2xx.</p>
      {created ? <SecretOnce ctx={ctx} webhook={created} onDone={() => setCreated(undefined)} /> : null}
      {adding ? (
        <section class="card" aria-labelledby="new-webhook-title">
          <h2 id="new-webhook-title">New webhook</h2>
          <WebhookForm submitLabel="Create webhook" busy={create.busy} error={create.error} onSubmit={submit} onCancel={() => { setAdding(false); create.clear(); }} />
        </section>
      ) : null}
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? <Loading what="Reading the webhooks" /> : null}
      {list.data && list.data.length === 0 ? (
        <EmptyState title="No webhooks yet.">Add one to have your application told of every change (a user deactivated, a member added) as it happens.</EmptyState>
      ) : null}
      {list.data?.length ? (
        <table>
          <caption class="visually-hidden">Webhooks</caption>
          <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Status</th><th scope="col">Failed in a row</th><th scope="col">Description</th><th scope="col">Created</th></tr></thead>
          <tbody>
            {list.data.map((w) => {
              const status = webhookStatus(w);
              return (
                <tr key={w.id}>
                  <td><a href={hrefOf(['t', ctx.tenantId, 'webhooks', w.id])}>{w.url}</a></td>
                  <td>{w.events.map((e) => <code key={e} class="pattern">{e}</code>)}</td>
                  <td><span class={`badge ${status.badge}`}>{status.label}</span></td>
                  <td>{w.consecutiveFailures}</td>
                  <td>{w.description ?? ''}</td>
                  <td><Time iso={w.created} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

/** The signing secret, this once: the server never shows it again. */
function SecretOnce({ ctx, webhook, onDone }: { ctx: TenantContext; webhook: CreatedWebhook; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = () => navigator.clipboard?.writeText(webhook.secret).then(() => setCopied(true), () => setCopied(false));
  return (
    <section class="notice" role="status" aria-labelledby="secret-title">
      <h2 id="secret-title">Webhook created: copy its signing secret now</h2>
      <p>Your receiver verifies each delivery's <code>Roster-Signature</code> with this secret. It is shown only this once; if it is lost, delete the webhook and create a new one.</p>
      <p class="secret" data-testid="webhook-secret">{webhook.secret}</p>
      <div class="actions">
        <button type="button" onClick={copy}>{copied ? 'Copied' : 'Copy secret'}</button>
        <a href={hrefOf(['t', ctx.tenantId, 'webhooks', webhook.id])}>Open the webhook</a>
        <button type="button" onClick={onDone}>I have stored it</button>
      </div>
    </section>
  );
}
