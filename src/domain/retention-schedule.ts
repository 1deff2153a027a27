import type { Logger } from '../logger';
import type { Users } from './users';

const DAY_MS = 86_400_000;

/**
 * The daily in-process purge: once shortly after start, then every 24 hours. Several Roster
 * instances may each run it; the sweeps are idempotent. Returns a function that stops it.
 */
export function scheduleRetention(users: Users, retention: { deletedDays?: number; inactiveDays?: number }, logger: Logger): () => void {
  const run = () => users.purge(retention).then(
    ({ erased, deleted }) => logger.info('retention purge', {
      softDeletedInactive: deleted.map((u) => ({ id: u.id, userName: u.userName })),
      erasedDeleted: erased.map((u) => ({ id: u.id, userName: u.userName })),
    }),
    (error: unknown) => logger.error('retention purge failed', { error: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }),
  );
  const first = setTimeout(run, 60_000);
  const daily = setInterval(run, DAY_MS);
  first.unref();
  daily.unref();
  return () => {
    clearTimeout(first);
    clearInterval(daily);
  };
}
