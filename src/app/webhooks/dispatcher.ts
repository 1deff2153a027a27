import { randomUUID } from 'node:crypto';
import { typeMatcher } from '../../domain/events/type-pattern';
import { settle, type RetryPolicy } from '../../domain/webhooks/settlement';
import { describeError, type Logger } from '../../logger';
import { LeaseLost, type ChangeEvent, type Delivery, type DeliveryAttempt, type Lease, type Store, type WebhookStore } from '../../store/port';
import { SYSTEM_JOURNAL } from '../journals';
import { BacklogTally, outcomeOf, type DispatchObserver } from './dispatch-observer';
import { sendDelivery } from './send-delivery';

export interface DispatcherOptions {
  readonly store: Store;
  readonly logger: Logger;
  /** WEBHOOK_TIMEOUT, WEBHOOK_ALLOW_PRIVATE, WEBHOOK_RETRY_WINDOW, WEBHOOK_DISABLE_AFTER. */
  readonly timeoutMs: number;
  readonly allowPrivate: boolean;
  readonly retryWindowMs: number;
  readonly disableAfter: number;
  /** This instance's name in leases (random: a restarted instance waits for its old leases to expire). */
  readonly owner?: string;
  readonly leaseMs?: number;
  /** How often an idle dispatcher looks for work. */
  readonly pollMs?: number;
  /** Deliveries in flight at once, per webhook. */
  readonly concurrency?: number;
  readonly now?: () => Date;
  readonly random?: () => number;
  /** The first retry's delay and the cap (tests shorten them). */
  readonly backoff?: { readonly baseMs: number; readonly capMs: number };
  readonly send?: typeof sendDelivery;
  /** Told of each attempt, of disabled webhooks and of the backlog after each round (metrics). */
  readonly observer?: DispatchObserver;
}

/** Webhooks one claim takes; the pending deliveries a webhook may hold before no more are queued. */
const CLAIM = 50;
const QUEUE_CAP = 1000;
const SCAN = 1000;
const WINDOW = 500;
/** Time to record the attempts of a round of sends, on top of the timeout each send may take. */
const SETTLE_MS = 5_000;

/**
 * Delivers every tenant's events to their webhooks: at least once, in order per resource, from
 * state in the store (so nothing is lost to a crash) under leases (so several instances never
 * work one webhook at once). Each round: claim (or renew) leases; per webhook, queue its new
 * events, then send the due deliveries, `concurrency` at a time, while the lease has time left
 * for one more round of sends.
 */
export class Dispatcher {
  private readonly owner: string;
  private readonly leaseMs: number;
  /** A round of sends starts only while the lease outlasts it: the timeout, and time to settle. */
  private readonly margin: number;
  private readonly now: () => Date;
  private readonly policy: RetryPolicy;
  private readonly send: typeof sendDelivery;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;
  private readonly held = new Set<string>();
  private readonly backlog = new BacklogTally();

  constructor(private readonly options: DispatcherOptions) {
    this.owner = options.owner ?? `roster-${randomUUID()}`;
    this.margin = options.timeoutMs + SETTLE_MS;
    // Never shorter than two rounds of sends: with WEBHOOK_TIMEOUT near 60 s, a 60 s lease would leave room for none.
    this.leaseMs = Math.max(options.leaseMs ?? 60_000, 2 * this.margin);
    this.now = options.now ?? (() => new Date());
    this.policy = { retryWindowMs: options.retryWindowMs, random: options.random ?? Math.random, ...options.backoff };
    this.send = options.send ?? sendDelivery;
  }

  /** Runs rounds until stopped: at once while there is work, every pollMs when idle. */
  start(): void {
    const loop = async () => {
      const sent = await this.round().catch((error: unknown) => {
        this.options.logger.error('webhook dispatch failed', { error: describeError(error) });
        return 0;
      });
      if (!this.stopped) this.timer = setTimeout(loop, sent > 0 ? 0 : this.options.pollMs ?? 1000).unref();
    };
    this.timer = setTimeout(loop, 0).unref();
  }

  /** Stops after the round in flight and gives up this instance's leases. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await this.options.store.outbox.release(this.owner, [...this.held]).catch(() => undefined);
    this.held.clear();
    this.options.observer?.backlog(this.backlog.keepOnly(this.held));
  }

  /** One round over every webhook this instance can lease; returns how many attempts it made. */
  round(): Promise<number> {
    this.running ??= this.claimAndWork().finally(() => (this.running = undefined));
    return this.running;
  }

  private async claimAndWork(): Promise<number> {
    const start = this.now();
    const until = new Date(start.getTime() + this.leaseMs);
    const leases = await this.options.store.outbox.claim(this.owner, start.toISOString(), until.toISOString(), CLAIM);
    for (const lease of leases) this.held.add(lease.webhook.id);
    const working = new Set(leases.map((lease) => lease.webhook.id));
    const sent = await Promise.all(leases.map((lease) => this.work(lease, until.getTime()).catch((error: unknown) => {
      if (!(error instanceof LeaseLost)) this.options.logger.error('webhook delivery failed', { webhookId: lease.webhook.id, error: describeError(error) });
      this.held.delete(lease.webhook.id);
      working.delete(lease.webhook.id);
      return 0;
    })));
    this.options.observer?.backlog(this.backlog.keepOnly(working));
    return sent.reduce((a, b) => a + b, 0);
  }

  private async work(lease: Lease, leaseEnd: number): Promise<number> {
    const webhooks = this.options.store.tenant(lease.tenantId, SYSTEM_JOURNAL).webhooks;
    const pending = await webhooks.pendingLeased(lease);
    const queued = pending < QUEUE_CAP ? await webhooks.enqueueLeased(lease, typeMatcher(lease.webhook.events), SCAN, this.now().toISOString()) : 0;
    this.backlog.set(lease.webhook.id, pending + queued);
    let sent = 0;
    while (!this.stopped && this.now().getTime() + this.margin < leaseEnd) {
      const due = await webhooks.dueLeased(lease, this.now().toISOString(), WINDOW);
      if (due.length === 0) break;
      for (let i = 0; i < due.length && this.now().getTime() + this.margin < leaseEnd; i += this.concurrency) {
        const outcomes = await Promise.all(due.slice(i, i + this.concurrency).map(({ delivery, event }) => this.attempt(lease, webhooks, delivery, event)));
        sent += outcomes.length;
        this.backlog.settled(lease.webhook.id, outcomes.filter((o) => o !== 'retry').length);
        if (outcomes.includes('disabled')) {
          // Once per webhook, though several attempts of the batch may each have found it failing.
          this.options.observer?.disabled();
          return sent;
        }
      }
    }
    return sent;
  }

  private get concurrency(): number {
    return this.options.concurrency ?? 8;
  }

  /** 'retry' when the delivery stays pending, 'settled' when it is done, 'disabled' when its failure disabled the webhook. */
  private async attempt(lease: Lease, webhooks: WebhookStore, delivery: Delivery, event: ChangeEvent): Promise<'settled' | 'retry' | 'disabled'> {
    const attempt: DeliveryAttempt = await this.send(lease.webhook, event, { timeoutMs: this.options.timeoutMs, allowPrivate: this.options.allowPrivate, now: this.now });
    const outcome = settle(delivery, attempt, this.policy);
    const webhook = await webhooks.settleLeased(lease, outcome);
    this.options.observer?.attempted(outcomeOf(outcome.state), attempt.durationMs / 1000);
    if (outcome.state === 'pending') return 'retry';
    if (outcome.state !== 'failed' || webhook.consecutiveFailures < this.options.disableAfter) return 'settled';
    const reason = `${webhook.consecutiveFailures} events in a row failed to be delivered (the last: ${attempt.error ?? `HTTP ${attempt.statusCode}`})`;
    await webhooks.update(lease.webhook.id, { active: false, disabledReason: reason });
    this.options.logger.warn('webhook disabled', { tenantId: lease.tenantId, webhookId: lease.webhook.id, reason });
    return 'disabled';
  }
}
