import type { MetaDocument } from './documents';
import type { Collections } from './models';

/**
 * The version of the database layout this Roster reads and writes. `mongo migrate` brings a
 * database to it and then writes the marker; start-up refuses any other version
 * (database-check.ts). Raise it whenever a change needs `mongo migrate` (a backfill, a new
 * unique index).
 *   1. `live` and `groupIds` on every user, the `live`-leading and partial indexes, validators.
 *   2. change events: the `events`, `event_sequences`, `webhooks` and `deliveries` collections,
 *      their indexes (events.tenant_seq_unique among them) and validators.
 *   3. OAuth clients: the `clients` and `client_secrets` collections, their indexes
 *      (client_secrets.hash_unique among them), the partial indexes on access tokens, validators.
 *   4. exact totals (live users, deleted users, groups) on each tenant's event counter, counted
 *      by the migration and kept by every write since (resource-counts.ts); their validator.
 *   5. the failed-request log and hourly activity counts: the `request_failures` and
 *      `activity_hours` collections, their indexes (tenant_seq_unique, tenant_hour_type_unique
 *      among them) and validators; the counts of the events before, counted by the migration.
 */
export const SCHEMA_VERSION = 5;

const MARKER_ID = 'schema';

/** The marker's version; undefined for a database no `mongo migrate` has finished on. */
export async function schemaVersion(c: Collections): Promise<number | undefined> {
  const marker = await c.meta.findOne({ _id: MARKER_ID });
  return typeof marker?.version === 'number' ? marker.version : undefined;
}

/** Written last by `mongo migrate`, once every step has succeeded. */
export async function writeSchemaVersion(c: Collections, migrated: string): Promise<void> {
  const marker: MetaDocument = { _id: MARKER_ID, version: SCHEMA_VERSION, migrated };
  await c.meta.updateOne({ _id: MARKER_ID }, { $set: { version: marker.version, migrated: marker.migrated } }, { upsert: true });
}
