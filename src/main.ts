import type { AddressInfo } from 'node:net';
import { loadConfig, ConfigError, type Config } from './config/config';
import { Application } from './app/application';
import { syncBootstrap } from './app/authenticate';
import { scheduleRetention } from './app/retention';
import { Dispatcher } from './app/webhooks/dispatcher';
import { createApp } from './http/app';
import { listen, listeningUrl, ListenError, stopGracefully } from './http/server';
import { createLogger, type Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import { loadSchemaRegistry, type SchemaRegistry } from './scim/schema/registry';
import type { Express } from 'express';
import type { Store } from './store/port';
import { instrumentStore } from './store/instrumented-store';
import { DatabaseRefused, openStore } from './store/open-store';

/** A started Roster: where it listens, and how to stop it (once; later calls return the same stop). */
export interface Roster {
  /** The server's own URL, e.g. http://localhost:3000 (the base path not included). */
  readonly url: string;
  /** Graceful stop; aborting `now` closes what remains at once. */
  stop(reason?: string, now?: AbortSignal): Promise<void>;
}

export interface Parts {
  readonly config: Config;
  readonly store: Store;
  readonly registry: SchemaRegistry;
  readonly logger: Logger;
  /** Where requests are counted and timed (GET /metrics); absent: not measured, no /metrics. */
  readonly metrics?: Metrics;
  /** Where the built console is served from (tests build their own); default dist/console. */
  readonly consoleDirectory?: string;
}

/** The application layer and its HTTP front over an open store (also for tests, benchmarks and scripts). */
export function assemble({ config, store, registry, logger, metrics, consoleDirectory }: Parts): { application: Application; app: Express } {
  const application = new Application({ store, registry, config });
  return { application, app: createApp({ config, application, registry, logger, ready: () => store.ready?.() ?? true, consoleDirectory, ...(metrics ? { metrics } : {}) }) };
}

/** The store with each operation timed into `metrics` (roster_store_operation_duration_seconds). */
export function measuredStore(store: Store, config: Pick<Config, 'mongodbUri'>, metrics: Metrics): Store {
  const adapter = config.mongodbUri ? 'mongodb' : 'sqlite';
  return instrumentStore(store, (operation, seconds) => metrics.storeOperation(adapter, operation, seconds));
}

/** The one wiring point: configuration → store → application (use cases) → HTTP → listening server. */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<Roster> {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  const registry = loadSchemaRegistry();
  const metrics = createMetrics();
  // With MongoDB, waits (retrying with backoff) until the database is reachable, and refuses one
  // that `npm run cli -- mongo migrate` has not prepared for this version.
  const store = measuredStore(await openStore(config, registry, logger), config, metrics);
  try {
    await syncBootstrap(store, config.bootstrapToken);
    const { application, app } = assemble({ config, store, registry, logger, metrics });
    const server = await listen(app, config);
    const stopRetention = scheduleRetention(application.retention, logger);
    const dispatcher = startDispatcher(config, store, logger, metrics);
    const url = listeningUrl(server.address() as AddressInfo);
    announce(logger, url, config, store);
    const stop = async (reason: string, now?: AbortSignal) => {
      logger.info('Roster is stopping', { reason, shutdownTimeoutMs: config.shutdownTimeoutMs });
      const { forced } = await stopGracefully(server, config.shutdownTimeoutMs, now);
      stopRetention();
      await dispatcher.stop();
      await store.close();
      logger.info('Roster stopped', { forcedClose: forced });
    };
    let stopping: Promise<void> | undefined;
    return { url, stop: (reason = 'stop requested', now) => (stopping ??= stop(reason, now)) };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Webhook delivery runs in every instance; leases in the store keep them off each other's webhooks. */
function startDispatcher(config: Config, store: Store, logger: Logger, metrics: Metrics): Dispatcher {
  const dispatcher = new Dispatcher({
    store,
    logger,
    observer: metrics.webhooks,
    timeoutMs: config.webhookTimeoutMs,
    allowPrivate: config.webhookAllowPrivate,
    retryWindowMs: config.webhookRetryWindowMs,
    disableAfter: config.webhookDisableAfter,
  });
  dispatcher.start();
  return dispatcher;
}

function announce(logger: Logger, url: string, config: Config, store: Store): void {
  logger.info('Roster is serving SCIM', {
    url: `${url}${config.basePath}`,
    store: store.description,
    token: config.bootstrapToken ? 'SCIM_BOOTSTRAP_TOKEN is accepted' : 'create one with: npm run cli -- tokens create --name <name>',
  });
}

/**
 * SIGTERM or SIGINT stops gracefully and exits 0; a second signal closes what remains at once.
 */
function stopOnSignals(roster: Roster): void {
  const now = new AbortController();
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      now.abort();
      return;
    }
    stopping = true;
    roster.stop(signal, now.signal).then(
      () => process.exit(0),
      (error: unknown) => exitWith('Roster could not stop cleanly:', error),
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Mistakes an operator can fix print as one line; anything else with its stack, to be reported. */
function exitWith(prefix: string, error: unknown): void {
  if (error instanceof ConfigError || error instanceof ListenError || error instanceof DatabaseRefused) console.error(`${prefix} ${error.message}`);
  else console.error(prefix, error);
  process.exit(1);
}

if (require.main === module) {
  start().then(stopOnSignals, (error: unknown) => exitWith('Roster cannot start:', error));
}
