#!/usr/bin/env node
import { join } from 'node:path';
import { UsageError } from './options';
import { sourcesNewerThanBuild } from './stale-build';
import { asksForHelp, isCommand, USAGE } from './usage';

/**
 * `roster <command>` (the package's bin; `npm run cli -- <command>` from a checkout): administration
 * on the same store the server uses. This file loads nothing heavy: `--help` and a mistyped command
 * answer at once, and the store, Express and mongoose are required only for a real command.
 */
async function main(args: readonly string[]): Promise<number> {
  if (asksForHelp(args)) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...rest] = args;
  if (!isCommand(command)) {
    console.error(command === undefined ? USAGE : `Unknown command ${JSON.stringify(command)}.\n${USAGE}`);
    return 2;
  }
  if (sourcesNewerThanBuild(join(__dirname, '..'))) console.error('Warning: src/ changed since the last build; run `npm run build` to use the change.');
  const { runCommand } = await import('./run-command');
  await runCommand(command, rest);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (error: unknown) => {
    const { ConfigError, DatabaseRefused } = await import('./run-command');
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof DatabaseRefused) console.error(error.message);
    else console.error(error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
