/**
 * Reading MongoDB's explain output, for test/store/mongo/index-plans.test.ts. The shape differs
 * by server version and engine, while the questions do not (which indexes, a collection scan,
 * a sort in memory, how much was read), so the answers are derived from every shape:
 *   - classic engine (5.0, and most queries on 6.0+): `queryPlanner.winningPlan` is the stage
 *     tree, each stage with `inputStage` or `inputStages`;
 *   - slot-based engine (6.0/7.0 before their late patches, 8.0 for some pipelines):
 *     `winningPlan.queryPlan` holds the same tree beside `slotBasedPlan`, the compiled plan as
 *     text, which names no index and is not read here;
 *   - 8.0's express path: a single `EXPRESS_IXSCAN` (or EXPRESS_UPDATE, …) stage with `indexName`;
 *   - an aggregation not wholly pushed into the query layer: `stages`, the first a `$cursor` that
 *     holds its own queryPlanner and executionStats, then one entry per pipeline stage ($lookup
 *     entries carry collectionScans and indexesUsed);
 *   - a sharded cluster: `shards`, each shard's plan or explain within.
 * Rejected plans are never read: only what the server ran counts.
 */

type Doc = Record<string, unknown>;

/** What a plan reads and how, for one explained command. */
export interface PlanSummary {
  /** Every stage of the winning plans, outermost first, then the pipeline stages after a $cursor. */
  readonly stages: readonly string[];
  /** The index of every index-reading stage (IXSCAN, COUNT_SCAN, DISTINCT_SCAN, EXPRESS_*, an indexed EQ_LOOKUP). */
  readonly indexes: readonly string[];
  /** Scans of a whole collection: COLLSCAN stages, a $lookup's collectionScans, an EQ_LOOKUP without an index. */
  readonly collectionScans: number;
  /** Blocking sorts in memory: SORT (SORT_KEY_GENERATOR before 4.4) in a plan, or a $sort left in the pipeline. */
  readonly inMemorySorts: number;
  readonly keysExamined: number;
  readonly docsExamined: number;
}

/** Stages that sort what they are given in memory; SORT_MERGE merges presorted inputs and is not one. */
const SORT_STAGES = new Set(['SORT', 'SORT_KEY_GENERATOR']);

const isDoc = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value);
const docs = (value: unknown): Doc[] => (Array.isArray(value) ? value.filter(isDoc) : []);
const count = (value: unknown): number => (typeof value === 'number' ? value : 0);

interface Tally {
  stages: string[];
  indexes: string[];
  collectionScans: number;
  inMemorySorts: number;
  keysExamined: number;
  docsExamined: number;
}

/** Summarises the output of `explain` (any verbosity; the examined counts need executionStats). */
export function summarizeExplain(explain: unknown): PlanSummary {
  const tally: Tally = { stages: [], indexes: [], collectionScans: 0, inMemorySorts: 0, keysExamined: 0, docsExamined: 0 };
  if (isDoc(explain)) readExplain(explain, tally);
  return tally;
}

/** One explain document: its own plan and statistics, its pipeline stages, its shards. */
function readExplain(explain: Doc, tally: Tally): void {
  if (isDoc(explain.queryPlanner)) walkPlan(explain.queryPlanner.winningPlan, tally);
  if (isDoc(explain.executionStats)) {
    tally.keysExamined += count(explain.executionStats.totalKeysExamined);
    tally.docsExamined += count(explain.executionStats.totalDocsExamined);
  }
  for (const stage of docs(explain.stages)) readPipelineStage(stage, tally);
  if (isDoc(explain.shards)) {
    for (const shard of Object.values(explain.shards)) if (isDoc(shard)) readExplain(shard, tally);
  }
}

function readPipelineStage(stage: Doc, tally: Tally): void {
  if (isDoc(stage.$cursor)) return readExplain(stage.$cursor, tally);
  const name = Object.keys(stage).find((key) => key.startsWith('$'));
  if (name === undefined) return;
  tally.stages.push(name);
  if (name === '$sort') tally.inMemorySorts++;
  tally.collectionScans += count(stage.collectionScans);
  tally.indexes.push(...(Array.isArray(stage.indexesUsed) ? stage.indexesUsed.filter((index): index is string => typeof index === 'string') : []));
  tally.keysExamined += count(stage.totalKeysExamined);
  tally.docsExamined += count(stage.totalDocsExamined);
}

/** One node of a winning plan and everything beneath it. */
function walkPlan(node: unknown, tally: Tally): void {
  if (!isDoc(node)) return;
  if (isDoc(node.queryPlan)) return walkPlan(node.queryPlan, tally);
  if (typeof node.stage === 'string') {
    tally.stages.push(node.stage);
    if (node.stage === 'COLLSCAN') tally.collectionScans++;
    if (SORT_STAGES.has(node.stage)) tally.inMemorySorts++;
    // A join of the foreign collection by hashing or nested loops reads all of it.
    if (node.stage === 'EQ_LOOKUP' && node.strategy !== 'IndexedLoopJoin') tally.collectionScans++;
  }
  if (typeof node.indexName === 'string') tally.indexes.push(node.indexName);
  walkPlan(node.inputStage, tally);
  for (const input of docs(node.inputStages)) walkPlan(input, tally);
  // A plan through mongos: one winning plan per shard.
  for (const shard of docs(node.shards)) walkPlan(shard.winningPlan, tally);
}

/** The fields of each explainable command worth explaining again (no session, transaction, concern or cluster time). */
const COMMAND_FIELDS: Readonly<Record<string, readonly string[]>> = {
  find: ['find', 'filter', 'sort', 'projection', 'skip', 'limit', 'hint', 'collation', 'min', 'max', 'let', 'allowDiskUse'],
  aggregate: ['aggregate', 'pipeline', 'cursor', 'hint', 'collation', 'let', 'allowDiskUse'],
  count: ['count', 'query', 'skip', 'limit', 'hint', 'collation'],
  distinct: ['distinct', 'key', 'query', 'hint', 'collation'],
  findAndModify: ['findAndModify', 'query', 'sort', 'update', 'remove', 'new', 'fields', 'upsert', 'arrayFilters', 'hint', 'collation', 'let'],
};
const UPDATE_FIELDS = ['q', 'u', 'multi', 'upsert', 'arrayFilters', 'hint', 'collation'];
const DELETE_FIELDS = ['q', 'limit', 'hint', 'collation'];

const pick = (from: Doc, fields: readonly string[]): Doc =>
  Object.fromEntries(fields.filter((field) => from[field] !== undefined).map((field) => [field, from[field]]));

/**
 * The command to pass to `explain` for one document of `system.profile`, or undefined when the
 * operation has no query plan (inserts, getMore, killCursors, the profile command itself). A
 * write is profiled one statement at a time (`command` is {q, u, …} or {q, limit}), so it is
 * wrapped back into an update or delete command. Throws when the profiler truncated the command
 * (over 50 KB): that alone says the adapter sent something as large as an id list.
 */
export function explainableCommand(entry: Doc): Doc | undefined {
  const command = entry.command;
  if (!isDoc(command)) return undefined;
  if ('$truncated' in command) {
    throw new Error(`the profiler truncated a ${String(entry.op)} on ${String(entry.ns)} (a command over 50 KB): ${String(command.$truncated).slice(0, 300)}…`);
  }
  const collection = String(entry.ns).slice(String(entry.ns).indexOf('.') + 1);
  if (entry.op === 'update') return { update: collection, updates: [pick(command, UPDATE_FIELDS)] };
  if (entry.op === 'remove') return { delete: collection, deletes: [pick(command, DELETE_FIELDS)] };
  const name = Object.keys(COMMAND_FIELDS).find((key) => key in command);
  return name === undefined ? undefined : pick(command, COMMAND_FIELDS[name]);
}

/** A command that answers a count (no documents): `count`, or an aggregation ending in $group or $count. */
export function isCountCommand(command: Doc): boolean {
  if ('count' in command) return true;
  const pipeline = docs(command.pipeline);
  const last = pipeline[pipeline.length - 1];
  return 'aggregate' in command && last !== undefined && ('$group' in last || '$count' in last);
}
