import type { MigrationReport } from '../store/mongo/mongo-migration';
import { UsageError } from './options';

const USAGE = 'Usage: mongo migrate   (prepares the MongoDB database MONGODB_URI names for this version of Roster)';

/** Runs the migration on the database MONGODB_URI names. */
export type Migrate = () => Promise<{ database: string; report: MigrationReport }>;

const listed = (names: readonly string[]) => (names.length ? `: ${names.join(', ')}` : '');

/** The report as the lines the command prints. */
export function describeMigration(database: string, report: MigrationReport): string[] {
  const { adopted, backfilled, indexes, validators } = report;
  const moved = Object.values(adopted).reduce((sum, count) => sum + count, 0);
  return [
    `MongoDB database ${database} is migrated to schema ${report.to} (it was at ${report.from ?? 'none'}).`,
    `Documents: ${moved} moved into tenants; live set on ${backfilled.live + backfilled.deleted} user(s) (${backfilled.deleted} deleted); `
      + `groupIds added to ${backfilled.groupIds} user(s); `
      + (backfilled.memberships === 'skipped' ? 'memberships not copied again (this schema keeps groupIds up to date).' : `${backfilled.memberships} membership(s) copied into groupIds.`),
    backfilled.activity === 'skipped'
      ? 'Hourly activity not counted again (this schema keeps it up to date).'
      : `Hourly activity counted for ${backfilled.activity} hour(s) and type(s).`,
    `Indexes built (${indexes.built.length})${listed(indexes.built)}.`,
    `Indexes already present (${indexes.present.length}).`,
    `Indexes dropped (${indexes.dropped.length})${listed(indexes.dropped)}.`,
    `Validators set (${validators.set.length})${listed(validators.set)}; unchanged (${validators.unchanged.length}).`,
  ];
}

/**
 * `mongo migrate`: readies the MongoDB database for this version (mongo-migration.ts): builds the
 * indexes, backfills, sets the validators, then marks the database, which start-up checks.
 * Idempotent: run it before starting a new version, and again whenever in doubt.
 */
export async function mongoCommand(args: readonly string[], uri: string | undefined, migrate: Migrate, print: (line: string) => void): Promise<void> {
  const [action, ...rest] = args;
  if (action !== 'migrate' || rest.length > 0) throw new UsageError(USAGE);
  if (!uri) {
    throw new UsageError('mongo migrate needs MONGODB_URI, the connection string of the database to migrate, e.g. MONGODB_URI=mongodb://localhost:27017/roster npm run cli -- mongo migrate');
  }
  print('Migrating the MongoDB database: index builds on large collections take a while (the server keeps serving meanwhile).');
  const { database, report } = await migrate();
  for (const line of describeMigration(database, report)) print(line);
}
