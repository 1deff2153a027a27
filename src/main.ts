import { loadConfig, ConfigError, type Config } from './config/config';
import { Tokens } from './domain/tokens';
import { accountPolicyOf, Users } from './domain/users';
import { scheduleRetention } from './domain/retention-schedule';
import { createApp } from './http/app';
import { createLogger, type Logger } from './logger';
import { loadSchemaRegistry } from './scim/schema/registry';
import type { Store } from './store/port';
import { openStore } from './store/open-store';

/** The one wiring point: configuration → store → application → listening server. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const registry = loadSchemaRegistry();
  // With MongoDB, waits (retrying with backoff) until the database is reachable.
  const store = await openStore(config, registry, logger);
  if (config.bootstrapToken) await new Tokens(store.tokens).ensureBootstrap(config.bootstrapToken);
  const app = createApp({ config, store, registry, logger });
  scheduleRetention(new Users(store, accountPolicyOf(config)),
    { deletedDays: config.retentionDeletedDays, inactiveDays: config.retentionInactiveDays }, logger);
  const server = app.listen(config.port, () => announce(logger, config, store, Boolean(config.bootstrapToken)));
  const stop = () => server.close(() => void store.close().then(() => process.exit(0)));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function announce(logger: Logger, config: Config, store: Store, hasBootstrap: boolean): void {
  logger.info('Roster is serving SCIM', {
    url: `http://localhost:${config.port}${config.basePath}`,
    store: store.description,
    token: hasBootstrap ? 'SCIM_BOOTSTRAP_TOKEN is accepted' : 'create one with: npm run cli -- tokens create --name <name>',
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Roster cannot start: ${error.message}`);
  } else {
    console.error('Roster cannot start:', error);
  }
  process.exit(1);
});
