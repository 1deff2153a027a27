import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Roster's metrics, in a prom-client Registry of their own (never the library's global one, so
 * two servers in one process, as in the tests, count apart). A leaf like logger.ts: any layer may
 * record into it. Every label takes values from a bounded set: route patterns, never raw URLs;
 * tenants that authenticated, never ids a request merely named; no token ids, names or secrets.
 */

/** Which limit refused a request (429). */
export type RefusalKind = 'token' | 'auth_failures';
/** What one webhook delivery attempt came to: delivered, failed for good, or to be tried again. */
export type DeliveryOutcome = 'delivered' | 'failed' | 'retry';

export interface RequestLabels {
  readonly method: string;
  readonly route: string;
  readonly status: string;
  readonly tenant: string;
}

export interface MetricsOptions {
  /** Node's process metrics (CPU, memory, event-loop lag, GC) under their usual names; default true. */
  readonly processMetrics?: boolean;
}

/** Seconds. HTTP: 1 ms to 30 s; the store: 0.1 ms (an SQLite read) to 10 s (a MongoDB time limit). */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
const WEBHOOK_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** What the webhook dispatcher reports (app/webhooks/dispatcher.ts's DispatchObserver). */
export interface WebhookMetrics {
  attempted(outcome: DeliveryOutcome, seconds: number): void;
  /** Pending deliveries of the webhooks this instance holds leases on, after its latest round. */
  backlog(pending: number): void;
  disabled(): void;
}

export class Metrics {
  readonly registry = new Registry();
  readonly webhooks: WebhookMetrics;
  private readonly requests = new Counter({
    name: 'roster_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern, status and tenant ("-": none entered)',
    labelNames: ['method', 'route', 'status', 'tenant'] as const,
    registers: [this.registry],
  });
  private readonly requestSeconds = new Histogram({
    name: 'roster_http_request_duration_seconds',
    help: 'Time from the request arriving to the response sent, by method, route pattern and tenant',
    labelNames: ['method', 'route', 'tenant'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });
  private readonly storeSeconds = new Histogram({
    name: 'roster_store_operation_duration_seconds',
    help: 'Time of one store operation, by adapter (sqlite, mongodb) and operation (e.g. users.list)',
    labelNames: ['adapter', 'operation'] as const,
    buckets: STORE_BUCKETS,
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: 'roster_rate_limit_refusals_total',
    help: 'Requests refused with 429, by limit: token (RATE_LIMIT_PER_TOKEN), auth_failures (RATE_LIMIT_AUTH_FAILURES)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor({ processMetrics = true }: MetricsOptions = {}) {
    // Unprefixed (process_cpu_seconds_total, nodejs_heap_size_used_bytes…): the names every
    // Node.js dashboard expects; the scrape job's labels already say which service it is.
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
    for (const kind of ['token', 'auth_failures'] satisfies RefusalKind[]) this.refusals.inc({ kind }, 0);
    this.webhooks = webhookMetrics(this.registry);
  }

  request(labels: RequestLabels, seconds: number): void {
    this.requests.inc(labels);
    this.requestSeconds.observe({ method: labels.method, route: labels.route, tenant: labels.tenant }, seconds);
  }

  storeOperation(adapter: string, operation: string, seconds: number): void {
    this.storeSeconds.observe({ adapter, operation }, seconds);
  }

  refused(kind: RefusalKind): void {
    this.refusals.inc({ kind });
  }

  /** The Prometheus text exposition format, version 0.0.4. */
  get contentType(): string {
    return this.registry.contentType;
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }
}

function webhookMetrics(registry: Registry): WebhookMetrics {
  const deliveries = new Counter({
    name: 'roster_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome: delivered, retry (failed, tried again later), failed (given up)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of ['delivered', 'retry', 'failed'] satisfies DeliveryOutcome[]) deliveries.inc({ outcome }, 0);
  const seconds = new Histogram({
    name: 'roster_webhook_delivery_duration_seconds',
    help: 'Time of one webhook delivery attempt, until the receiver answered or the attempt failed',
    buckets: WEBHOOK_BUCKETS,
    registers: [registry],
  });
  const backlog = new Gauge({
    name: 'roster_webhook_backlog',
    help: 'Deliveries pending for the webhooks this instance holds, after its latest dispatch round',
    registers: [registry],
  });
  const disabled = new Counter({
    name: 'roster_webhooks_disabled_total',
    help: 'Webhooks disabled after WEBHOOK_DISABLE_AFTER events in a row failed',
    registers: [registry],
  });
  return {
    attempted: (outcome, duration) => {
      deliveries.inc({ outcome });
      seconds.observe(duration);
    },
    backlog: (pending) => backlog.set(pending),
    disabled: () => disabled.inc(),
  };
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  return new Metrics(options);
}
