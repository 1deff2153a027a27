/**
 * Seeds a SQLite file with `users` users through the store, exactly as POST /Users would store
 * them (the validated body, checked against the server's own validator for one user of each
 * batch since scimmy would take 10 minutes for a million, then the account rules applied), in
 * batches of 1,000 through `UserStore.createMany` (group commit); then a group holding the first
 * min(users, 100,000) users and an empty group. Progress is printed every few seconds.
 *
 * A seeded file is kept under <tmpdir>/roster-bench-cache, keyed by the user count and a digest
 * of the schema migrations, of this seeding and of the SQLite store's code, and copied for each
 * run (the run writes to its copy), so that a second run at 1,000,000 users skips the seeding.
 * BENCH_CACHE=off disables it.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEM_JOURNAL } from '../src/app/journals';
import type { Config } from '../src/config/config';
import { applyAccountRules } from '../src/domain/account/account-rules';
import type { SchemaRegistry } from '../src/scim/schema/registry';
import { scimmyValidator } from '../src/scim/schema/scimmy-validator';
import type { JsonObject } from '../src/scim/values/json';
import { migrations } from '../src/store/sqlite/migrations';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';
import { userBody, validatedUser } from './people';

const BATCH = 1_000;
export const BIG_GROUP_MEMBERS = 100_000;
/** Ids of about this many users, spread over the whole range, are kept for GET /Users/{id}. */
const SAMPLE = 10_000;
/** Bump when what is seeded changes, so that cached files are not reused. */
const SEEDING_VERSION = 2;

export interface Seeded {
  readonly users: number;
  /** [index, id] of users spread over the range; index 0 (a member of the big group) first. */
  readonly sample: readonly (readonly [number, string])[];
  readonly bigGroupId: string;
  readonly bigGroupMembers: number;
  readonly emptyGroupId: string;
  readonly seconds: number;
  /** Whether this run reused a cached file (then `seconds` is the original seeding's). */
  readonly cached: boolean;
}

/** Writes a seeded store to `path` (from the cache when it can) and says what is in it. */
export async function seededStore(path: string, users: number, config: Config, registry: SchemaRegistry): Promise<Seeded> {
  const cacheOff = process.env.BENCH_CACHE === 'off';
  const dir = join(tmpdir(), 'roster-bench-cache');
  const key = join(dir, `${users}-${storeDigest()}`);
  if (!cacheOff && existsSync(`${key}.json`) && existsSync(`${key}.db`)) {
    console.log(`seeding: reusing ${key}.db (cached; BENCH_CACHE=off to seed again)`);
    copyFileSync(`${key}.db`, path);
    return { ...(JSON.parse(readFileSync(`${key}.json`, 'utf8')) as Seeded), cached: true };
  }
  const seeded = await seed(path, users, config, registry);
  if (!cacheOff) {
    mkdirSync(dir, { recursive: true });
    copyFileSync(path, `${key}.db.tmp`);
    renameSync(`${key}.db.tmp`, `${key}.db`);
    writeFileSync(`${key}.json`, JSON.stringify(seeded));
  }
  return seeded;
}

async function seed(path: string, users: number, config: Config, registry: SchemaRegistry): Promise<Seeded> {
  rmSync(path, { force: true });
  const store = openSqliteStore(path);
  const tenant = store.tenant('default', SYSTEM_JOURNAL);
  const validator = scimmyValidator(registry.user, config);
  const policy = { maxRoles: config.maxRoles, usernameImmutable: config.usernameImmutable, requiredUserAttributes: config.requiredUserAttributes, usernameFormat: config.usernameFormat };
  const step = Math.max(1, Math.ceil(users / SAMPLE));
  const sample: [number, string][] = [];
  const members: string[] = [];
  const started = Date.now();
  let reported = started;
  for (let from = 0; from < users; from += BATCH) {
    const indices = Array.from({ length: Math.min(BATCH, users - from) }, (_, k) => from + k);
    const now = new Date().toISOString();
    checkValidated(indices[0], validator.validate(userBody(indices[0]) as JsonObject));
    const writes = indices.map((i) => ({ data: applyAccountRules(undefined, validatedUser(i) as JsonObject, 'create', policy, now) }));
    const results = await tenant.users.createMany(writes);
    results.forEach((result, k) => {
      if (!('created' in result)) throw new Error(`seeding user ${indices[k]} failed: ${String(result.failed)}`);
      const i = indices[k];
      if (i < BIG_GROUP_MEMBERS) members.push(result.created.id);
      if (i % step === 0) sample.push([i, result.created.id]);
    });
    if (Date.now() - reported >= 3_000) {
      reported = Date.now();
      const done = from + indices.length;
      const rate = done / ((reported - started) / 1000);
      console.log(`seeding: ${done.toLocaleString('en')} / ${users.toLocaleString('en')} users, ${rate.toFixed(0)} users/s, ETA ${((users - done) / rate).toFixed(0)} s`);
    }
  }
  const group = (displayName: string) => validatorFor(registry, config).validate({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName });
  const big = await tenant.groups.create(group(`${members.length} members`), members);
  const empty = await tenant.groups.create(group('no members'), []);
  await store.close();
  const seconds = (Date.now() - started) / 1000;
  console.log(`seeding: ${users.toLocaleString('en')} users and a ${members.length.toLocaleString('en')}-member group in ${seconds.toFixed(1)} s (${(users / seconds).toFixed(0)} users/s)`);
  return { users, sample, bigGroupId: big.id, bigGroupMembers: members.length, emptyGroupId: empty.id, seconds, cached: false };
}

/**
 * The schema migrations, this seeding, and the compiled SQLite store itself (what it writes
 * beside the rows, such as counts and search indexes, may change without a migration).
 */
function storeDigest(): string {
  const code = join(__dirname, '..', 'src', 'store', 'sqlite');
  const hash = createHash('sha256').update(JSON.stringify([migrations, SEEDING_VERSION]));
  for (const file of readdirSync(code).filter((f) => f.endsWith('.js')).sort()) hash.update(readFileSync(join(code, file)));
  return hash.digest('hex').slice(0, 12);
}

/** Stops the seeding when validatedUser no longer builds what the server's validator returns. */
function checkValidated(i: number, validated: JsonObject): void {
  const built = JSON.stringify(validatedUser(i));
  if (JSON.stringify(validated) !== built) throw new Error(`bench/people.ts validatedUser(${i}) is ${built}, but the server's validator returns ${JSON.stringify(validated)}: update validatedUser`);
}

const validatorFor = (registry: SchemaRegistry, config: Config) => scimmyValidator(registry.group, config);
