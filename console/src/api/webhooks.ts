import { call } from './http';

/** A tenant's webhooks and their deliveries (docs/events.md, Webhooks). */

export interface Webhook {
  readonly id: string;
  readonly url: string;
  /** Event type patterns it subscribes to ("user.*", "*", …). */
  readonly events: readonly string[];
  readonly description?: string;
  /** false: paused by an admin, or disabled by Roster (then disabledAt/disabledReason). */
  readonly active: boolean;
  readonly created: string;
  readonly lastModified: string;
  /** Events in a row that failed for good. */
  readonly consecutiveFailures: number;
  readonly disabledAt?: string;
  readonly disabledReason?: string;
}

/** The answer to a create: the only time the signing secret is shown. */
export type CreatedWebhook = Webhook & { readonly secret: string };

export interface NewWebhook {
  readonly url: string;
  readonly events: readonly string[];
  readonly description?: string;
}

/** What may change: `description: null` removes it; `active: true` resumes (and re-enables) it. */
export interface WebhookChange {
  readonly url?: string;
  readonly events?: readonly string[];
  readonly description?: string | null;
  readonly active?: boolean;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed';
export const DELIVERY_STATES: readonly DeliveryState[] = ['pending', 'delivered', 'failed'];

export interface DeliveryAttempt {
  readonly at: string;
  /** The receiver's status; absent when none came (timeout, connection error, refused address). */
  readonly statusCode?: number;
  readonly durationMs: number;
  /** Present exactly when the attempt failed. */
  readonly error?: string;
}

export interface Delivery {
  readonly webhookId: string;
  readonly eventId: number;
  readonly eventType: string;
  readonly resourceId: string;
  readonly state: DeliveryState;
  readonly queuedAt: string;
  readonly nextAttemptAt?: string;
  /** Oldest first, the 50 most recent. */
  readonly attempts: readonly DeliveryAttempt[];
}

export interface DeliveryPage {
  readonly deliveries: readonly Delivery[];
  /** The `before` of the next (older) page, present when this one is full. */
  readonly next?: number;
}

export interface DeliveryQuery {
  readonly state?: DeliveryState;
  readonly before?: number;
  readonly limit?: number;
}

const one = (admin: string, id: string) => `${admin}/webhooks/${encodeURIComponent(id)}`;

export const listWebhooks = (token: string, admin: string): Promise<readonly Webhook[]> =>
  call<{ webhooks: Webhook[] }>(token, 'GET', `${admin}/webhooks`).then((a) => a.body.webhooks);

export const getWebhook = (token: string, admin: string, id: string): Promise<Webhook> =>
  call<Webhook>(token, 'GET', one(admin, id)).then((a) => a.body);

export const createWebhook = (token: string, admin: string, webhook: NewWebhook): Promise<CreatedWebhook> =>
  call<CreatedWebhook>(token, 'POST', `${admin}/webhooks`, { body: webhook }).then((a) => a.body);

export const updateWebhook = (token: string, admin: string, id: string, change: WebhookChange): Promise<Webhook> =>
  call<Webhook>(token, 'PATCH', one(admin, id), { body: change }).then((a) => a.body);

export const deleteWebhook = (token: string, admin: string, id: string): Promise<void> =>
  call<undefined>(token, 'DELETE', one(admin, id)).then(() => undefined);

/** Newest first; continue with before=next. */
export const readDeliveries = (token: string, admin: string, id: string, query: DeliveryQuery): Promise<DeliveryPage> =>
  call<DeliveryPage>(token, 'GET', `${one(admin, id)}/deliveries`, { query: { ...query } }).then((a) => a.body);

/** Queues the event for this webhook again, due now (202 with the delivery as it now stands). */
export const redeliver = (token: string, admin: string, id: string, eventId: number): Promise<Delivery> =>
  call<Delivery>(token, 'POST', `${one(admin, id)}/deliveries/${eventId}/retry`).then((a) => a.body);
