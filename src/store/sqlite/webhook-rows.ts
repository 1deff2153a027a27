import type { Delivery, DeliveryAttempt, DeliveryState, WebhookRecord } from '../port';

export interface WebhookRow {
  id: string;
  tenant_id: string;
  url: string;
  events: string;
  secret: string;
  description: string | null;
  active: number;
  created: string;
  last_modified: string;
  cursor: number;
  consecutive_failures: number;
  disabled_at: string | null;
  disabled_reason: string | null;
  lease_owner: string | null;
  lease_until: string | null;
}

export interface DeliveryRow {
  webhook_id: string;
  event_id: number;
  tenant_id: string;
  event_type: string;
  resource_id: string;
  state: DeliveryState;
  queued_at: string;
  next_attempt_at: string | null;
  attempts: string;
}

export const toWebhook = (row: WebhookRow): WebhookRecord => ({
  id: row.id,
  url: row.url,
  events: JSON.parse(row.events) as string[],
  secret: row.secret,
  ...(row.description === null ? {} : { description: row.description }),
  active: row.active === 1,
  created: row.created,
  lastModified: row.last_modified,
  cursor: row.cursor,
  consecutiveFailures: row.consecutive_failures,
  ...(row.disabled_at === null ? {} : { disabledAt: row.disabled_at }),
  ...(row.disabled_reason === null ? {} : { disabledReason: row.disabled_reason }),
});

export const toDelivery = (row: DeliveryRow): Delivery => ({
  webhookId: row.webhook_id,
  eventId: row.event_id,
  eventType: row.event_type,
  resourceId: row.resource_id,
  state: row.state,
  queuedAt: row.queued_at,
  ...(row.next_attempt_at === null ? {} : { nextAttemptAt: row.next_attempt_at }),
  attempts: JSON.parse(row.attempts) as DeliveryAttempt[],
});
