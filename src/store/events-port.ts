import type { Json } from '../scim/values/json';
import type { ClientRecord, ClientSecretRecord } from './clients-port';
import type { PurgedUser, StoredGroup, StoredUser, TokenRecord } from './port';
import type { TenantRecord } from './tenants-port';

/** The change events' part of the store port (re-exported by port.ts). */

/** Who made a change: a token as it authenticated, or Roster itself (retention, webhook delivery). */
export type EventActor =
  | { readonly kind: 'operator' | 'service'; readonly tokenId: string; readonly tokenName: string }
  | { readonly kind: 'user'; readonly tokenId: string; readonly tokenName: string; readonly userId: string }
  | { readonly kind: 'system' };

/** Where a change came from: its actor, and the request that made it (absent for Roster's own work). */
export interface EventOrigin {
  readonly actor: EventActor;
  readonly requestId?: string;
}

export type EventResourceType = 'User' | 'Group' | 'Token' | 'Tenant' | 'Webhook' | 'Client';

/** What an event is about. `userName` for a user, `displayName` for a group, `name` for the others. */
export interface EventResource {
  readonly type: EventResourceType;
  readonly id: string;
  readonly userName?: string;
  readonly displayName?: string;
  readonly name?: string;
}

/** One attribute's change: its values before and after (absent when it had none), or for a secret only that it changed. */
export type AttributeChange =
  | { readonly path: string; readonly before?: Json; readonly after?: Json }
  | { readonly path: string; readonly changed: true };

/** An event as the domain drafts it; the store gives it its id, tenant, time and origin. */
export interface EventDraft {
  readonly type: string;
  readonly resource: EventResource;
  /** group.member_added / group.member_removed: the member. */
  readonly member?: { readonly type: 'User'; readonly id: string; readonly userName?: string };
  readonly changes?: readonly AttributeChange[];
}

/** A recorded event, as the feed serves it and webhooks receive it. */
export interface ChangeEvent extends EventDraft {
  /** Per tenant, strictly increasing in commit order: a reader that saw id n has seen every id below n that exists. */
  readonly id: number;
  readonly tenant: string;
  readonly occurredAt: string;
  readonly actor: EventActor;
  readonly requestId?: string;
}

/** A group's member as a change names it. */
export interface ChangedMember {
  readonly id: string;
  readonly userName?: string;
}

/**
 * A committed change, as the store describes it to the journal: the states before and after,
 * read in the transaction that wrote it.
 */
export type Change =
  | { readonly of: 'user'; readonly kind: 'created'; readonly after: StoredUser; readonly passwordSet: boolean }
  | { readonly of: 'user'; readonly kind: 'updated'; readonly before: StoredUser; readonly after: StoredUser; readonly passwordChanged: boolean }
  | { readonly of: 'user'; readonly kind: 'deleted'; readonly before: StoredUser }
  | { readonly of: 'user'; readonly kind: 'restored'; readonly after: StoredUser }
  | { readonly of: 'user'; readonly kind: 'erased'; readonly user: PurgedUser }
  | { readonly of: 'group'; readonly kind: 'created'; readonly after: StoredGroup; readonly added: readonly ChangedMember[] }
  | { readonly of: 'group'; readonly kind: 'updated'; readonly before: StoredGroup; readonly after: StoredGroup; readonly added: readonly ChangedMember[]; readonly removed: readonly ChangedMember[] }
  | { readonly of: 'group'; readonly kind: 'deleted'; readonly before: StoredGroup }
  | { readonly of: 'token'; readonly kind: 'created' | 'revoked' | 'removed'; readonly token: TokenRecord }
  | { readonly of: 'tenant'; readonly kind: 'created'; readonly after: TenantRecord }
  | { readonly of: 'tenant'; readonly kind: 'updated'; readonly before: TenantRecord; readonly after: TenantRecord }
  | { readonly of: 'webhook'; readonly kind: 'created' | 'deleted' | 'disabled'; readonly webhook: WebhookRecord }
  | { readonly of: 'webhook'; readonly kind: 'updated'; readonly before: WebhookRecord; readonly after: WebhookRecord }
  | { readonly of: 'client'; readonly kind: 'created' | 'deleted'; readonly client: ClientRecord }
  | { readonly of: 'client'; readonly kind: 'secretAdded' | 'secretRevoked'; readonly client: ClientRecord; readonly secret: ClientSecretRecord };

/**
 * What turns committed changes into events: the domain's rules (domain/events), bound to the
 * origin of the request. A store calls `draft` inside the transaction of each write and stores
 * what it returns in that same transaction: no change commits without its events, and a write
 * that aborts leaves none. An empty result (a write that changed nothing) records nothing.
 */
export interface Journal {
  readonly origin: EventOrigin;
  draft(change: Change): readonly EventDraft[];
}

/** Which events a feed page reads. */
export interface EventQuery {
  /** Events with an id above this one (0: from the first). Oldest first. */
  readonly after: number;
  /**
   * Newest first instead: events with an id below this one (an admin reading the trail starts
   * from the latest). `after` is then ignored, and `next` is the lowest id examined.
   */
  readonly before?: number;
  /** Most events on the page. */
  readonly limit: number;
  /** Most events the store examines for the page (see EventPage.next). */
  readonly scan: number;
  /** Only events whose type this accepts (the domain's pattern match). */
  readonly type?: (type: string) => boolean;
  /** Only events about this resource: as `resource.id`, or as the member of a group.member_* event. */
  readonly resourceId?: string;
  /** Only events made with this token. */
  readonly actorTokenId?: string;
}

export interface EventPage {
  readonly events: readonly ChangeEvent[];
  /**
   * The `after` to read on from: the last event on the page, or, when the store examined `scan`
   * events without filling the page, the last one it examined (a page may then be short, even
   * empty, while more follow). Equal to the query's `after` when nothing more exists yet.
   */
  readonly next: number;
  /** Newest first (EventQuery.before): whether events below `next` may remain. */
  readonly more?: boolean;
}

/** One tenant's events. Appending is not here: the store appends in each write's own transaction. */
export interface EventLog {
  read(query: EventQuery): Promise<EventPage>;
  get(id: number): Promise<ChangeEvent | undefined>;
  /** The id of the latest event (0 when none was ever recorded). */
  latest(): Promise<number>;
  /**
   * Erases events that occurred before `before`, oldest first, with their deliveries; returns
   * how many. With `limit`: at most that many events in one short transaction (fewer than
   * `limit`: none are left). Without: all of them, in short transactions with a turn of the
   * event loop between.
   */
  eraseBefore(before: string, limit?: number): Promise<number>;
  /**
   * How many events of each type (and `request.failed`) the hours from `from` up to `to`
   * (excluded) hold, oldest first: only hours and types with a count. Read from counts the
   * writes keep (one row per hour and type), never from the events themselves.
   */
  activity(from: ActivityHour, to: ActivityHour): Promise<readonly HourCount[]>;
  /** Erases the counts of the hours before `before`, at most `limit` in one short transaction; returns how many. */
  eraseActivityBefore(before: ActivityHour, limit: number): Promise<number>;
}

/** A UTC hour as the activity counts key it: the first 13 characters of an ISO time, 'YYYY-MM-DDTHH'. */
export type ActivityHour = string;

/** The hour of an ISO time ('2026-11-24T05:13:09.412Z' → '2026-11-24T05'). */
export const activityHourOf = (iso: string): ActivityHour => iso.slice(0, 13);

/** How many events of one type were committed in one hour. */
export interface HourCount {
  readonly hour: ActivityHour;
  readonly type: string;
  readonly n: number;
}

/** The type the activity counts record each failed request under (FailureLog), beside the event types. */
export const REQUEST_FAILED = 'request.failed';

/** A webhook: where a tenant's events are POSTed. */
export interface WebhookRecord {
  readonly id: string;
  readonly url: string;
  /** Event type patterns it subscribes to (domain/events/type-pattern.ts). */
  readonly events: readonly string[];
  /** The HMAC key deliveries are signed with: kept to sign, shown once when created, never again. */
  readonly secret: string;
  readonly description?: string;
  readonly active: boolean;
  readonly created: string;
  readonly lastModified: string;
  /** Events up to this id are queued for delivery or were not subscribed to. */
  readonly cursor: number;
  /** Events that failed for good since the last delivered one. */
  readonly consecutiveFailures: number;
  readonly disabledAt?: string;
  readonly disabledReason?: string;
}

export interface WebhookDraft {
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly secret: string;
  readonly description?: string;
}

/** A change of a webhook; `active: true` also clears its failures, `active: false` records why. */
export interface WebhookUpdate {
  readonly url?: string;
  readonly events?: readonly string[];
  readonly description?: string | null;
  readonly active?: boolean;
  readonly disabledReason?: string;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface DeliveryAttempt {
  readonly at: string;
  /** The receiver's HTTP status; absent when none came (timeout, connection error, refused address). */
  readonly statusCode?: number;
  readonly durationMs: number;
  readonly error?: string;
}

export interface Delivery {
  readonly webhookId: string;
  readonly eventId: number;
  readonly eventType: string;
  /** Deliveries of one resource go out in event order: the next waits until this one is settled. */
  readonly resourceId: string;
  readonly state: DeliveryState;
  /** When it was queued (or queued again by a retry): the retry window runs from here. */
  readonly queuedAt: string;
  readonly nextAttemptAt?: string;
  /** The most recent attempts, oldest first (at most MAX_KEPT_ATTEMPTS). */
  readonly attempts: readonly DeliveryAttempt[];
}

/** How many attempts a delivery keeps on record (the oldest are dropped). */
export const MAX_KEPT_ATTEMPTS = 50;

/** What one attempt settles: the attempt, and the delivery's next state. */
export interface AttemptOutcome {
  readonly eventId: number;
  readonly attempt: DeliveryAttempt;
  readonly state: DeliveryState;
  /** When to try again (state pending). */
  readonly nextAttemptAt?: string;
}

/** A webhook leased by one dispatcher (one Roster instance) until `until`. */
export interface Lease {
  readonly tenantId: string;
  readonly owner: string;
  readonly webhook: WebhookRecord;
}

/** The lease was lost (expired and taken by another instance, or the webhook deleted): stop working on it. */
export class LeaseLost extends Error {
  constructor(webhookId: string) {
    super(`The lease on webhook ${webhookId} is no longer held`);
    this.name = 'LeaseLost';
  }
}

/**
 * One tenant's webhooks and their deliveries. Writes of webhooks record their events through
 * the tenant's journal. The `…Leased` methods are the dispatcher's: each is conditional on the
 * lease still being held by `lease.owner` (else LeaseLost), so two instances never work one
 * webhook's deliveries at once.
 */
export interface WebhookStore {
  /** Starts at the tenant's latest event: a new webhook receives what happens from now on. */
  create(draft: WebhookDraft): Promise<WebhookRecord>;
  list(): Promise<readonly WebhookRecord[]>;
  get(id: string): Promise<WebhookRecord | undefined>;
  update(id: string, change: WebhookUpdate): Promise<WebhookRecord | undefined>;
  /** Removes the webhook and its deliveries; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Deliveries newest first, below `before` (an event id) when given. */
  deliveries(webhookId: string, query: { readonly before?: number; readonly limit: number; readonly state?: DeliveryState }): Promise<readonly Delivery[]>;
  /**
   * Queues the event again (pending, due now, a new retry window), or for the first time when
   * the event exists but was never queued for this webhook. undefined: no such webhook or event.
   */
  retry(webhookId: string, eventId: number, at: string): Promise<Delivery | undefined>;

  /**
   * Queues the webhook's next events: examines at most `scan` events after its cursor, queues
   * those `subscribed` accepts (due at `at`), and moves the cursor past all it examined.
   * Returns how many it queued.
   */
  enqueueLeased(lease: Lease, subscribed: (type: string) => boolean, scan: number, at: string): Promise<number>;
  /**
   * The deliveries to attempt now: among the first `window` pending ones in event order, the
   * earliest of each resource, when it is due at `at`; each with its event.
   */
  dueLeased(lease: Lease, at: string, window: number): Promise<readonly { readonly delivery: Delivery; readonly event: ChangeEvent }[]>;
  /** How many deliveries are pending. */
  pendingLeased(lease: Lease): Promise<number>;
  /**
   * Records an attempt and the delivery's new state; delivered resets the webhook's
   * consecutive failures, failed adds one. Returns the webhook as it is now.
   */
  settleLeased(lease: Lease, outcome: AttemptOutcome): Promise<WebhookRecord>;
}

/** The dispatcher's look-ups across tenants: which webhooks to work on. */
export interface Outbox {
  /**
   * Leases until `until` up to `max` active webhooks whose lease is free, expired at `now`, or
   * already `owner`'s (renewed), of tenants not being deleted.
   */
  claim(owner: string, now: string, until: string, max: number): Promise<readonly Lease[]>;
  /** Gives the leases up (a stopping instance), so another can take them at once. */
  release(owner: string, webhookIds: readonly string[]): Promise<void>;
}

/** The cap on a page of the feed, and how many events one page examines at most. */
export const MAX_EVENT_PAGE = 1000;
export const MAX_EVENT_SCAN = 10_000;
