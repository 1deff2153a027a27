import type { Logger } from '../../logger';
import { DatabaseRefused } from './deployment';
import { COLLECTIONS } from './documents';
import { compareIndexes, indexName, legacyPresent, listIndexes } from './index-check';
import { INDEXES } from './indexes';
import type { Collections } from './models';
import { SCHEMA_VERSION, schemaVersion } from './schema-marker';
import { rulesOf, sameRules, type Validators } from './validators';

const MIGRATE = 'npm run cli -- mongo migrate';

export interface CheckOptions {
  /** Where the database is, for the messages: e.g. mongodb://db1:27017/roster. */
  readonly database?: string;
  /** Also compare each collection's validator (where the database has them). */
  readonly validators?: Validators;
}

/**
 * What start-up checks of the database, building and dropping nothing (that is `mongo migrate`'s
 * work: an index build at start-up waited for every voting member, and a conflicting index made
 * every instance crash-loop):
 *   - the schema marker: missing or older → refused (run `mongo migrate`); newer → refused;
 *   - the indexes: a unique one missing or defined otherwise → refused (the uniqueness rules
 *     would not hold); any other missing or different → a warning (queries are slower);
 *     one of an earlier version still there → a warning (it costs writes);
 *   - the validators: missing or different → a warning.
 */
export async function verifyDatabase(c: Collections, logger: Logger, options: CheckOptions = {}): Promise<void> {
  const where = options.database ? `MongoDB database ${options.database}` : 'the MongoDB database';
  const version = await schemaVersion(c);
  if (version === undefined || version < SCHEMA_VERSION) {
    throw new DatabaseRefused(`${where} is not migrated for this version of Roster (schema ${version ?? 'none'}, needs ${SCHEMA_VERSION}): `
      + `run \`${MIGRATE}\` with the same MONGODB_URI first`);
  }
  if (version > SCHEMA_VERSION) {
    throw new DatabaseRefused(`${where} was migrated by a newer Roster (schema ${version}; this version knows ${SCHEMA_VERSION}): run that version or a newer one`);
  }
  const actual = await listIndexes(c);
  const findings = compareIndexes(INDEXES, actual).filter((finding) => finding.state !== 'present');
  const refused = findings.filter((finding) => finding.declaration.options.unique);
  if (refused.length) {
    const list = refused.map((finding) => `${indexName(finding.declaration)} (${finding.state === 'missing' ? 'missing' : 'defined otherwise'})`).join(', ');
    throw new DatabaseRefused(`${where} lacks unique indexes Roster relies on: ${list}. Run \`${MIGRATE}\``);
  }
  for (const { declaration, state, actual: found } of findings) {
    logger.warn(`MongoDB index ${indexName(declaration)} is ${state === 'missing' ? 'missing' : 'defined otherwise'}: queries it serves are slower. Run \`${MIGRATE}\``,
      { index: indexName(declaration), expected: { key: declaration.fields, ...declaration.options }, found });
  }
  for (const legacy of legacyPresent(actual)) {
    logger.warn(`MongoDB index ${indexName(legacy)} is no longer used and costs every write. Run \`${MIGRATE}\` to drop it`, { index: indexName(legacy) });
  }
  if (!options.validators) return;
  for (const collection of Object.keys(COLLECTIONS) as (keyof Collections)[]) {
    const name = COLLECTIONS[collection];
    if (!sameRules(await options.validators.read(name), rulesOf(collection))) {
      logger.warn(`MongoDB collection ${name} does not check documents against this version's schema. Run \`${MIGRATE}\``, { collection: name });
    }
  }
}
