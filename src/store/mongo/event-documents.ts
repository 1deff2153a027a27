import type { ChangeEvent, DeliveryAttempt, DeliveryState } from '../port';

/**
 * How the MongoDB adapter lays out change events, webhooks and deliveries (collections named in
 * documents.ts' COLLECTIONS, indexed as indexes.ts declares). Like every tenant's document, each
 * carries its `tenantId`, and every query names it (scoped-collection.ts).
 */

/**
 * One change event of a tenant (events-port.ts). `seq` is its id, taken from the tenant's
 * counter in `event_sequences` by the transaction of the change; the fields beside `event` are
 * the feed's filters, each the second key of an index (indexes.ts).
 */
export interface EventDocument {
  tenantId: string;
  seq: number;
  type: string;
  occurredAt: string;
  resourceId: string;
  /** group.member_* events only (the partial index holds only those). */
  memberId?: string;
  /** Absent for Roster's own changes (the system actor). */
  actorTokenId?: string;
  /** The event as served: JSON, no undefined anywhere. */
  event: ChangeEvent;
}

/** A tenant's event counter: `seq` is the id of its latest event. `_id` is the tenant id. */
export interface EventSequenceDocument {
  _id: string;
  tenantId: string;
  seq: number;
}

/** A webhook (`_id` is its id, unique across tenants: the outbox leases webhooks by id alone). */
export interface WebhookDocument {
  _id: string;
  tenantId: string;
  url: string;
  events: string[];
  secret: string;
  description: string | null;
  active: boolean;
  created: string;
  lastModified: string;
  cursor: number;
  consecutiveFailures: number;
  disabledAt: string | null;
  disabledReason: string | null;
  /** The instance working on its deliveries, until leaseUntil (null: free). */
  leaseOwner: string | null;
  leaseUntil: string | null;
  /**
   * Raised by every leased write, so that each such transaction changes the webhook's document
   * and conflicts with a claim by another instance committed meanwhile (a write that changes
   * nothing would not conflict).
   */
  fence: number;
}

/** One event queued for one webhook. */
export interface DeliveryDocument {
  tenantId: string;
  webhookId: string;
  eventId: number;
  eventType: string;
  resourceId: string;
  state: DeliveryState;
  queuedAt: string;
  nextAttemptAt: string | null;
  /** The latest MAX_KEPT_ATTEMPTS attempts, oldest first. */
  attempts: DeliveryAttempt[];
}
