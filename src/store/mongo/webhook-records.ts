import type { Delivery, WebhookRecord, WebhookUpdate } from '../port';
import type { DeliveryDocument, WebhookDocument } from './event-documents';

/** A webhook as the port returns it: no lease, no tenant, no null. */
export const toWebhook = (document: WebhookDocument): WebhookRecord => ({
  id: document._id,
  url: document.url,
  events: [...document.events],
  secret: document.secret,
  ...(document.description === null ? {} : { description: document.description }),
  active: document.active,
  created: document.created,
  lastModified: document.lastModified,
  cursor: document.cursor,
  consecutiveFailures: document.consecutiveFailures,
  ...(document.disabledAt === null ? {} : { disabledAt: document.disabledAt }),
  ...(document.disabledReason === null ? {} : { disabledReason: document.disabledReason }),
});

export const toDelivery = (document: DeliveryDocument): Delivery => ({
  webhookId: document.webhookId,
  eventId: document.eventId,
  eventType: document.eventType,
  resourceId: document.resourceId,
  state: document.state,
  queuedAt: document.queuedAt,
  ...(document.nextAttemptAt === null ? {} : { nextAttemptAt: document.nextAttemptAt }),
  attempts: document.attempts.map((attempt) => ({ ...attempt })),
});

/** Why a webhook was disabled when the one who disabled it gave no reason. */
export const DISABLED_BY_ADMINISTRATOR = 'disabled by an administrator';

/**
 * The fields `change` sets on a webhook, as SQLite sets them: re-enabling clears its failures
 * (it resumes at its cursor); disabling records when and why (the first time kept while it
 * stays disabled).
 */
export function webhookChanges(current: WebhookDocument, change: WebhookUpdate, now: string): Partial<WebhookDocument> {
  const active = change.active ?? current.active;
  const enabling = active && !current.active;
  const disabling = !active && current.active;
  return {
    ...(change.url === undefined ? {} : { url: change.url }),
    ...(change.events === undefined ? {} : { events: [...change.events] }),
    ...(change.description === undefined ? {} : { description: change.description }),
    active,
    ...(enabling ? { consecutiveFailures: 0 } : {}),
    disabledAt: active ? null : disabling ? now : current.disabledAt,
    disabledReason: active ? null : disabling ? change.disabledReason ?? DISABLED_BY_ADMINISTRATOR : current.disabledReason,
    lastModified: now,
  };
}
