import type { DeliveryState } from '../../store/port';

/** What one attempt came to, for metrics: a pending delivery after an attempt is a retry. */
export type AttemptOutcome = 'delivered' | 'failed' | 'retry';

/** What the dispatcher tells of its work (the metrics' WebhookMetrics has this shape). */
export interface DispatchObserver {
  attempted(outcome: AttemptOutcome, seconds: number): void;
  /** The deliveries pending for the webhooks this instance holds, after each round. */
  backlog(pending: number): void;
  disabled(): void;
}

export const outcomeOf = (state: DeliveryState): AttemptOutcome => (state === 'pending' ? 'retry' : state);

/**
 * The pending deliveries of each webhook this instance holds a lease on, as last counted: the
 * store's count at the start of the webhook's turn, plus what the turn queued, less what it
 * settled for good. Recounted from the store every round, so it never drifts for long.
 */
export class BacklogTally {
  private readonly pending = new Map<string, number>();

  set(webhookId: string, count: number): void {
    this.pending.set(webhookId, Math.max(0, count));
  }

  settled(webhookId: string, count: number): void {
    this.set(webhookId, (this.pending.get(webhookId) ?? 0) - count);
  }

  /** Forgets the webhooks this instance no longer holds; returns the total of those it does. */
  keepOnly(webhookIds: ReadonlySet<string>): number {
    for (const id of this.pending.keys()) if (!webhookIds.has(id)) this.pending.delete(id);
    let total = 0;
    for (const count of this.pending.values()) total += count;
    return total;
  }
}
