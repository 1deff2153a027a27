import { setTimeout as sleep } from 'node:timers/promises';
import type { Application } from '../app/application';
import type { EventPage } from '../app/context';
import { ScimError } from '../scim/errors';
import { enterTenant } from './cli-context';
import { option, UsageError } from './options';

export interface FollowOptions {
  /** Ends --follow (the process's SIGINT otherwise). */
  readonly signal?: AbortSignal;
  /** How long --follow waits when it has caught up. */
  readonly pollMs?: number;
}

const PAGE = '1000';

/**
 * `events [--tenant acme] [--after N] [--type user.*] [--resource <id>] [--actor <tokenId>] [--follow]`:
 * one JSON line per event, in id order, until caught up; with --follow, keeps polling for new
 * ones. A page can be short while more follow (the feed examines at most 10,000 events a page):
 * reading goes on until `next` stops moving.
 */
export async function eventsCommand(application: Application, args: readonly string[], print: (line: string) => void, { signal, pollMs = 1000 }: FollowOptions = {}): Promise<void> {
  const directory = await enterTenant(application, args);
  const follow = args.includes('--follow');
  const filters = { limit: PAGE, type: option(args, '--type'), resourceId: option(args, '--resource'), actor: option(args, '--actor') };
  let after = option(args, '--after') ?? '0';
  while (!signal?.aborted) {
    const page: EventPage = await directory.events.read({ ...filters, after }).catch((error: unknown) => {
      if (error instanceof ScimError && error.status < 500) throw new UsageError(error.detail);
      throw error;
    });
    for (const event of page.events) print(JSON.stringify(event));
    const caughtUp = String(page.next) === after;
    after = String(page.next);
    if (!caughtUp) continue;
    if (!follow) return;
    // Aborting ends the wait at once; unlike a listener added per poll, the timer drops its own when it fires.
    await sleep(pollMs, undefined, { signal }).catch(() => undefined);
  }
}
