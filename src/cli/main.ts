import { loadConfig, ConfigError } from '../config/config';
import { createLogger } from '../logger';
import { loadSchemaRegistry } from '../scim/schema/registry';
import { openStore } from '../store/open-store';
import { tokensCommand, UsageError } from './tokens-command';
import { purgeCommand, usersCommand } from './users-command';

const USAGE = [
  'Usage: npm run cli -- <command>',
  '  tokens create --name <name> [--expires-in 90d]   create a service token (shown once)',
  '  tokens list | tokens revoke <id>',
  '  users restore <userName|id>                      bring back a deleted user with its groups',
  '  purge                                            apply RETENTION_DELETED_DAYS / RETENTION_INACTIVE_DAYS now',
].join('\n');

const CONNECT_ATTEMPTS = 5;

/** `npm run cli -- <command>`: administration on the same store the server uses. */
async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  if (!['tokens', 'users', 'purge'].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  // Connection trouble goes to the log (warnings only: the output is the command's); a command
  // gives up on an unreachable MongoDB after a few attempts instead of waiting for ever.
  const logger = createLogger(config.logLevel === 'silent' ? 'silent' : 'warn');
  const store = await openStore(config, loadSchemaRegistry(), logger, { connectAttempts: CONNECT_ATTEMPTS });
  const print = (line: string) => console.log(line);
  try {
    if (command === 'tokens') await tokensCommand(store, rest, print);
    if (command === 'users') await usersCommand(store, config, rest, print);
    if (command === 'purge') await purgeCommand(store, config, print);
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError) console.error(error.message);
    else console.error(error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
