/** The commands the CLI knows, and the usage it prints for `--help` and for a mistake. */
export const COMMANDS = ['tenants', 'tokens', 'clients', 'users', 'purge', 'mongo', 'events'] as const;
export type Command = (typeof COMMANDS)[number];

export const isCommand = (value: string | undefined): value is Command => (COMMANDS as readonly (string | undefined)[]).includes(value);

export const USAGE = [
  'Usage: roster <command>   (from a checkout: npm run cli -- <command>)',
  '  tenants create <id> [--name <name>] | tenants list | tenants show <id> | tenants delete <id> [--force]',
  '  tokens create --name <name> [--expires-in 90d] [--tenant <id> | --operator]   create a token (shown once)',
  '  tokens list [--tenant <id> | --operator] | tokens revoke <id> [--tenant <id> | --operator]',
  '  clients create --name <name> [--expires-in-days <1-1095>] [--tenant <id>]   an OAuth client for Entra ID (secret shown once)',
  '  clients list | clients add-secret <clientId> [--expires-in-days N] | clients revoke-secret <clientId> <secretId>',
  '  clients delete <clientId>                        (each with [--tenant <id>])',
  '  users restore <userName|id> [--tenant <id>]       bring back a deleted user with its groups',
  '  users deleted [--filter <filter>] [--count <n>] [--start-index <n>] [--tenant <id>]   list deleted users (userName, id, deletedAt)',
  '  purge                                            apply each tenant\'s retention now (every tenant)',
  '  events [--after <id>] [--type user.*] [--resource <id>] [--actor <tokenId>] [--follow] [--tenant <id>]',
  '                                                   print change events, one JSON line each (--follow: keep printing)',
  '  mongo migrate                                    ready the MongoDB database (MONGODB_URI) for this version',
  '  --help                                           print this and exit',
  'Without --tenant, a command acts in the built-in tenant "default". The store is the server\'s:',
  'SQLITE_PATH, or MONGODB_URI when set (see README, Configuration).',
].join('\n');

/** `--help`, `-h` or `help` anywhere asks for the usage (exit 0), before anything is loaded. */
export const asksForHelp = (args: readonly string[]): boolean =>
  args.includes('--help') || args.includes('-h') || args[0] === 'help';
