import { Application } from '../app/application';
import { loadConfig } from '../config/config';
import { createLogger } from '../logger';
import { loadSchemaRegistry } from '../scim/schema/registry';
import { migrateMongo, openStore } from '../store/open-store';
import { clientsCommand } from './clients-command';
import { eventsCommand } from './events-command';
import { mongoCommand } from './mongo-command';
import { tenantsCommand } from './tenants-command';
import { tokensCommand } from './tokens-command';
import type { Command } from './usage';
import { purgeCommand, usersCommand } from './users-command';

export { ConfigError } from '../config/config';
export { DatabaseRefused } from '../store/open-store';

const CONNECT_ATTEMPTS = 5;

/** One command on the store the server uses (loaded only once the arguments ask for a command). */
export async function runCommand(command: Command, rest: readonly string[]): Promise<void> {
  const config = loadConfig();
  // Connection trouble goes to the log (warnings only: the output is the command's); a command
  // gives up on an unreachable MongoDB after a few attempts instead of waiting for ever.
  const logger = createLogger(config.logLevel === 'silent' ? 'silent' : 'warn');
  const print = (line: string) => console.log(line);
  if (command === 'mongo') {
    await mongoCommand(rest, config.mongodbUri, () => migrateMongo(config, logger, { connectAttempts: CONNECT_ATTEMPTS }), print);
    return;
  }
  const registry = loadSchemaRegistry();
  const store = await openStore(config, registry, logger, { connectAttempts: CONNECT_ATTEMPTS });
  const application = new Application({ store, registry, config });
  try {
    if (command === 'tenants') await tenantsCommand(application, rest, print);
    if (command === 'tokens') await tokensCommand(application, rest, print);
    if (command === 'clients') await clientsCommand(application, rest, print);
    if (command === 'users') await usersCommand(application, rest, print);
    if (command === 'purge') await purgeCommand(application, print);
    if (command === 'events') await eventsCommand(application, rest, print);
  } finally {
    await store.close();
  }
}
