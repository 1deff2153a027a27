import type { Change, EventDraft, WebhookRecord } from '../../store/port';
import type { JsonObject } from '../../scim/values/json';
import { attributeChanges, change } from './attribute-changes';
import { webhookResource } from './event-resources';
import { withoutUndefined } from './json-record';

type WebhookChange = Extract<Change, { of: 'webhook' }>;

/**
 * The event of a change of a webhook. Only what its owner set is described (url, events,
 * description, active): never the signing secret, and not the dispatcher's bookkeeping
 * (cursor, consecutive failures, timestamps), which changes with every delivery.
 */
export function webhookEvents(change: WebhookChange): EventDraft[] {
  switch (change.kind) {
    case 'created':
      return [{ type: 'webhook.created', resource: webhookResource(change.webhook), changes: attributeChanges(undefined, described(change.webhook)) }];
    case 'deleted':
      // The state that ended, as `before`: a deleted webhook has no after.
      return [{ type: 'webhook.deleted', resource: webhookResource(change.webhook), changes: attributeChanges(described(change.webhook), undefined) }];
    case 'disabled':
      return [{ type: 'webhook.disabled', resource: webhookResource(change.webhook), changes: disabledChanges(change.webhook) }];
    case 'updated': {
      const changes = attributeChanges(described(change.before), described(change.after));
      return changes.length === 0 ? [] : [{ type: 'webhook.updated', resource: webhookResource(change.after), changes }];
    }
  }
}

const described = (webhook: WebhookRecord): JsonObject =>
  withoutUndefined({ url: webhook.url, events: [...webhook.events], description: webhook.description, active: webhook.active });

function disabledChanges(webhook: WebhookRecord) {
  const active = change('active', true, false);
  return webhook.disabledReason === undefined ? [active] : [active, change('disabledReason', undefined, webhook.disabledReason)];
}
