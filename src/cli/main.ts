import { loadConfig, ConfigError } from '../config/config';
import { createLogger } from '../logger';
import { loadSchemaRegistry } from '../scim/schema/registry';
import { DatabaseRefused, migrateMongo, openStore } from '../store/open-store';
import { Application } from '../app/application';
import { UsageError } from './options';
import { eventsCommand } from './events-command';
import { mongoCommand } from './mongo-command';
import { tenantsCommand } from './tenants-command';
import { tokensCommand } from './tokens-command';
import { purgeCommand, usersCommand } from './users-command';

const USAGE = [
  'Usage: npm run cli -- <command>',
  '  tenants create <id> [--name <name>] | tenants list | tenants show <id> | tenants delete <id> [--force]',
  '  tokens create --name <name> [--expires-in 90d] [--tenant <id> | --operator]   create a token (shown once)',
  '  tokens list [--tenant <id> | --operator] | tokens revoke <id> [--tenant <id> | --operator]',
  '  users restore <userName|id> [--tenant <id>]       bring back a deleted user with its groups',
  '  purge                                            apply each tenant\'s retention now (every tenant)',
  '  events [--after <id>] [--type user.*] [--resource <id>] [--actor <tokenId>] [--follow] [--tenant <id>]',
  '                                                   print change events, one JSON line each (--follow: keep printing)',
  '  mongo migrate                                    ready the MongoDB database (MONGODB_URI) for this version',
  'Without --tenant, a command acts in the built-in tenant "default".',
].join('\n');

const CONNECT_ATTEMPTS = 5;

/** `npm run cli -- <command>`: administration on the same store the server uses. */
async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  if (!['tenants', 'tokens', 'users', 'purge', 'mongo', 'events'].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  // Connection trouble goes to the log (warnings only: the output is the command's); a command
  // gives up on an unreachable MongoDB after a few attempts instead of waiting for ever.
  const logger = createLogger(config.logLevel === 'silent' ? 'silent' : 'warn');
  const print = (line: string) => console.log(line);
  if (command === 'mongo') {
    await mongoCommand(rest, config.mongodbUri, () => migrateMongo(config, logger, { connectAttempts: CONNECT_ATTEMPTS }), print);
    return 0;
  }
  const registry = loadSchemaRegistry();
  const store = await openStore(config, registry, logger, { connectAttempts: CONNECT_ATTEMPTS });
  const application = new Application({ store, registry, config });
  try {
    if (command === 'tenants') await tenantsCommand(application, rest, print);
    if (command === 'tokens') await tokensCommand(application, rest, print);
    if (command === 'users') await usersCommand(application, rest, print);
    if (command === 'purge') await purgeCommand(application, print);
    if (command === 'events') await eventsCommand(application, rest, print);
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof DatabaseRefused) console.error(error.message);
    else console.error(error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
