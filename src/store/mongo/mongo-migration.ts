import type { mongo } from 'mongoose';
import type { Logger } from '../../logger';
import { DEFAULT_TENANT_ID } from '../port';
import { backfillActivity, backfillGroupIds, backfillLive, backfillTotals, linkMemberships } from './backfill';
import { DatabaseRefused } from './deployment';
import { COLLECTIONS } from './documents';
import { compareIndexes, indexName, legacyPresent, listIndexes } from './index-check';
import { INDEXES } from './indexes';
import type { Collections } from './models';
import { ensureDefaultTenant } from './mongo-tenants';
import { BOOTSTRAP } from './mongo-tokens';
import { SCHEMA_VERSION, schemaVersion, writeSchemaVersion } from './schema-marker';
import type { Transactions } from './transactions';
import { rulesOf, sameRules, type Validators } from './validators';

/** What `mongo migrate` works on. */
export interface MigrationTarget {
  readonly collections: Collections;
  readonly transactions: Transactions;
  /** The collections' validators; absent where the database cannot hold any (the in-memory stand-in). */
  readonly validators?: Validators;
}

/** What a run did, for the command to print. */
export interface MigrationReport {
  readonly from: number | undefined;
  readonly to: number;
  readonly adopted: Readonly<Record<string, number>>;
  readonly backfilled: {
    readonly live: number; readonly deleted: number; readonly groupIds: number; readonly memberships: number | 'skipped'; readonly totals: number;
    /** Hours and types of activity counted from the events (schema 5); skipped once the writes keep them. */
    readonly activity: number | 'skipped';
  };
  readonly indexes: { readonly built: readonly string[]; readonly present: readonly string[]; readonly dropped: readonly string[] };
  readonly validators: { readonly set: readonly string[]; readonly unchanged: readonly string[] };
}

/**
 * `npm run cli -- mongo migrate`: brings a database to this version, then writes the schema
 * marker start-up looks for (schema-marker.ts). Each step is idempotent, so an interrupted run is
 * finished by the next, and two runs at once do no harm:
 *   1. documents written before tenants existed join `default` (bootstrap tokens become operator
 *      tokens), and the built-in tenant is registered;
 *   2. users get `live` and `groupIds`, each tenant's event counter its exact totals where it
 *      does not hold them yet (schema 4), and, coming from a schema before 5, each tenant its
 *      hourly activity counts from its events (backfill.ts);
 *   3. every index indexes.ts declares that is missing is built (online: the server keeps
 *      serving); one defined otherwise under the same name stops the run, naming it;
 *   4. the indexes of earlier versions are dropped, now that their replacements exist;
 *   5. each collection's validator is set from its schema (validators.ts), creating the
 *      collections a version adds (schema 2: events, event_sequences, webhooks, deliveries;
 *      schema 3: clients, client_secrets; schema 5: request_failures, activity_hours);
 *   6. the marker.
 * A database of schema 1 or 2 needs steps 3, 5 and 6 only (the others find nothing to do); its
 * tenants' event counters are created by their first events, and tokens written before schema 3
 * are no OAuth access tokens (no clientId: none of the access-token indexes holds them).
 * Stop the instances of the previous version first: they would write users without `live` and
 * `groupIds` meanwhile. Instances of this version may keep running through a second run.
 */
export async function migrateDatabase(target: MigrationTarget, logger: Logger, now: () => string = () => new Date().toISOString()): Promise<MigrationReport> {
  const c = target.collections;
  const from = await schemaVersion(c);
  if (from !== undefined && from > SCHEMA_VERSION) throw new DatabaseRefused(`the database was migrated by a newer Roster (schema ${from}; this version knows ${SCHEMA_VERSION})`);
  const adopted = await adoptTenantlessDocuments(c, logger);
  await ensureDefaultTenant(c.tenants, now());
  const { live, deleted } = await backfillLive(c);
  const groupIds = await backfillGroupIds(c);
  // From schema 1 on, every write keeps groupIds in step with the memberships: copy them only once.
  const memberships = from === undefined ? await linkMemberships(c, target.transactions) : 'skipped';
  // Schema 4: after the users' `live` (which the totals count by), before the marker lets instances write.
  const totals = await backfillTotals(c, target.transactions);
  // Schema 5: from then on every write counts its events in their hour; before, only the events know.
  const activity = from !== undefined && from >= 5 ? 'skipped' : await backfillActivity(c);
  const indexes = await buildIndexes(c, logger);
  const validators = target.validators ? await setValidators(target.validators) : { set: [], unchanged: [] };
  await writeSchemaVersion(c, now());
  return { from, to: SCHEMA_VERSION, adopted, backfilled: { live, deleted, groupIds, memberships, totals, activity }, indexes, validators };
}

export async function adoptTenantlessDocuments(c: Collections, logger: Logger): Promise<Record<string, number>> {
  const tenantless = { tenantId: { $exists: false } } as const;
  const moved = {
    operatorTokens: (await c.tokens.updateMany({ ...tenantless, ...BOOTSTRAP }, { $set: { tenantId: null } })).modifiedCount,
    tokens: (await c.tokens.updateMany(tenantless, { $set: { tenantId: DEFAULT_TENANT_ID } })).modifiedCount,
    memberships: (await c.memberships.updateMany(tenantless, { $set: { tenantId: DEFAULT_TENANT_ID } })).modifiedCount,
    users: (await c.users.updateMany(tenantless, { $set: { tenantId: DEFAULT_TENANT_ID } })).modifiedCount,
    groups: (await c.groups.updateMany(tenantless, { $set: { tenantId: DEFAULT_TENANT_ID } })).modifiedCount,
  };
  if (Object.values(moved).some((count) => count > 0)) logger.info('MongoDB: documents written before tenants moved into the default tenant', moved);
  return moved;
}

/** The server's answers to dropping an index that does not exist (IndexNotFound, NamespaceNotFound). */
const NOTHING_TO_DROP = new Set<unknown>([27, 26]);

const collectionNamed = (c: Collections, name: string) =>
  c[(Object.keys(COLLECTIONS) as (keyof Collections)[]).find((key) => COLLECTIONS[key] === name)!] as unknown as mongo.Collection;

/** Steps 3 and 4: builds what is missing, refuses what conflicts, then drops the superseded indexes. */
async function buildIndexes(c: Collections, logger: Logger) {
  const findings = compareIndexes(INDEXES, await listIndexes(c));
  const built: string[] = [];
  for (const { declaration } of findings.filter((finding) => finding.state === 'missing')) {
    logger.info('MongoDB: building an index', { index: indexName(declaration) });
    await collectionNamed(c, declaration.collection).createIndexes([{ key: { ...declaration.fields }, ...declaration.options }]);
    built.push(indexName(declaration));
  }
  const conflicts = findings.filter((finding) => finding.state === 'different');
  if (conflicts.length) {
    const list = conflicts.map(({ declaration }) => `${indexName(declaration)} (drop it: db.${declaration.collection}.dropIndex("${declaration.options.name}"))`);
    throw new DatabaseRefused(`indexes exist under Roster's names with other definitions: ${list.join(', ')}; then run mongo migrate again`);
  }
  const dropped: string[] = [];
  for (const legacy of legacyPresent(await listIndexes(c))) {
    try {
      await collectionNamed(c, legacy.collection).dropIndex(legacy.name);
      dropped.push(indexName(legacy));
    } catch (error) {
      if (!NOTHING_TO_DROP.has((error as { code?: unknown }).code)) throw error;
    }
  }
  const present = findings.filter((finding) => finding.state === 'present').map(({ declaration }) => indexName(declaration));
  return { built, present, dropped };
}

/** Step 5. */
async function setValidators(validators: Validators) {
  const set: string[] = [];
  const unchanged: string[] = [];
  for (const collection of Object.keys(COLLECTIONS) as (keyof Collections)[]) {
    const rules = rulesOf(collection);
    if (sameRules(await validators.read(COLLECTIONS[collection]), rules)) unchanged.push(COLLECTIONS[collection]);
    else {
      await validators.write(COLLECTIONS[collection], rules);
      set.push(COLLECTIONS[collection]);
    }
  }
  return { set, unchanged };
}
