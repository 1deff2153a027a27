import { loadConfig, ConfigError } from '../config/config';
import { openStore } from '../store/open-store';
import { tokensCommand, UsageError } from './tokens-command';

/** `npm run cli -- <command>`: administration on the same store the server uses. */
async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'tokens') {
    console.error('Usage: npm run cli -- tokens create --name <name> [--expires-in 90d] | tokens list | tokens revoke <id>');
    return 2;
  }
  const store = openStore(loadConfig());
  try {
    await tokensCommand(store, rest, (line) => console.log(line));
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
