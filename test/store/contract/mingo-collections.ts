import { AsyncLocalStorage } from 'node:async_hooks';
import { mongo } from 'mongoose';
import { Aggregator, Query } from 'mingo';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { INDEXES, type IndexDeclaration } from '../../../src/store/mongo/indexes';
import type { Collections } from '../../../src/store/mongo/models';
import { mongoStoreOn } from '../../../src/store/mongo/mongo-store';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import type { Store } from '../../../src/store/port';
import type { StoreRuntime } from '../../../src/store/mongo/scoped-collection';
import type { Transactions } from '../../../src/store/mongo/transactions';

/**
 * An in-memory stand-in for the MongoDB collections, so the contract runs against the
 * MongoDB adapter's own code on machines without a server. Queries, projections, sorts and
 * aggregations are mingo's (an independent implementation of MongoDB's query language); the
 * writes implement just what the adapter uses ($set, $inc and $unset of top-level fields,
 * $setOnInsert on upsert, $addToSet and $pull of strings, $push with $each and $slice), and
 * each refuses anything else, so a change in the adapter cannot silently pass here.
 * Unique indexes are those built (createIndexes / dropIndex; by default every one indexes.ts
 * declares) and fail like the server (E11000, keyPattern, keyValue).
 * Every operation is atomic and yields to the event loop first, so concurrent callers
 * interleave between operations as they do against a server.
 *
 * Transactions (FakeDatabase.transactions) are serializable: one runs at a time, every operation
 * outside it waits until it ends, and an error inside restores every collection as it was.
 * An operation issued inside a transaction without its session throws (the server would run it
 * outside the transaction), and `transientFailures` makes the next commits fail the way a write
 * conflict does, so the work runs again as `withTransaction` runs it.
 *
 * What it cannot show: the server's field-name rules (dots and dollars in stored keys), write
 * concern, network failures, index use and performance. The MongoDB contract run in CI does.
 */
type Doc = Record<string, unknown>;

/** BSON equality of two index key values (strings, null, ObjectIds; anything else by its JSON). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof mongo.ObjectId || b instanceof mongo.ObjectId) return a instanceof mongo.ObjectId && b instanceof mongo.ObjectId && a.equals(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A value's key for a quick set look-up: strings and ObjectIds only. */
const quickKey = (value: unknown): string | undefined =>
  typeof value === 'string' ? `s${value}` : value instanceof mongo.ObjectId ? `o${value.toHexString()}` : undefined;

/** A deep copy that keeps ObjectIds (immutable) as they are: mingo matches them, not copies of their fields. */
const clone = <T>(value: T): T => {
  if (value instanceof mongo.ObjectId || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(clone) as T;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, clone(inner)])) as T;
};
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A fake ClientSession: only its identity matters. */
export class FakeSession {
  constructor(readonly id: number) {}
}

interface SessionOption {
  readonly session?: unknown;
}

interface UpdateOptions extends SessionOption {
  readonly upsert?: boolean;
  readonly returnDocument?: 'before' | 'after';
  readonly projection?: Doc;
}

interface FindOptions extends SessionOption {
  readonly projection?: Doc;
  readonly sort?: Record<string, 1 | -1>;
  readonly skip?: number;
  readonly limit?: number;
}

class FakeCursor implements AsyncIterable<Doc> {
  constructor(private readonly run: () => Promise<Doc[]>) {}

  async toArray(): Promise<Doc[]> {
    return this.run();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Doc> {
    for (const document of await this.run()) yield document;
  }
}

/** What reached a collection: the filter, inserted document or pipeline of each operation. */
export interface JournalEntry {
  readonly collection: string;
  readonly operation: string;
  readonly argument: unknown;
  /** The id of the transaction's session the operation ran in; absent outside transactions. */
  readonly transaction?: number;
}

interface IndexSpec {
  readonly key: Record<string, 1 | -1>;
  readonly unique?: boolean;
  readonly partialFilterExpression?: Record<string, unknown>;
}

class FakeCollection {
  private documents: Doc[] = [];
  private readonly built = new Map<string, IndexSpec>();

  constructor(private readonly name: string, private readonly database: FakeDatabase, declared: readonly IndexDeclaration[]) {
    for (const declaration of declared.filter((i) => i.collection === name)) {
      const partial = declaration.options.partialFilterExpression;
      this.built.set(declaration.options.name, { key: { ...declaration.fields }, unique: declaration.options.unique, ...(partial ? { partialFilterExpression: { ...partial } } : {}) });
    }
  }

  private get unique(): (readonly string[])[] {
    return [...this.built.values()].filter((spec) => spec.unique).map((spec) => Object.keys(spec.key));
  }

  private async enter(operation: string, argument: unknown, options?: SessionOption): Promise<void> {
    const session = options?.session as FakeSession | undefined;
    const entry: JournalEntry = { collection: this.name, operation, argument: clone(argument), ...(session ? { transaction: session.id } : {}) };
    this.database.journal?.push(entry);
    await this.database.enter(session);
    if (this.database.faultAt?.(entry)) throw new mongo.MongoNetworkError('connection reset (fake fault)');
  }

  private matching(filter: Doc): Doc[] {
    const { candidates, residual } = FakeCollection.preselect(filter, this.documents);
    const query = new Query(residual);
    return candidates.filter((document) => query.test(document));
  }

  /**
   * Only speed: the documents whose top-level fields satisfy the filter's plain equalities and
   * `$in`s of strings or ObjectIds, decided with a Set, and what mingo must still check of the
   * filter. A field some candidate holds an array in stays for mingo to decide.
   */
  private static preselect(filter: Doc, documents: readonly Doc[]): { candidates: readonly Doc[]; residual: Doc } {
    let candidates = documents;
    const residual: Doc = {};
    for (const [field, condition] of Object.entries(filter)) {
      const values = quickKey(condition) !== undefined ? [condition]
        : condition && typeof condition === 'object' && Object.keys(condition).length === 1 && Array.isArray((condition as Doc).$in) ? (condition as { $in: unknown[] }).$in : undefined;
      const keys = values?.map(quickKey);
      if (field.startsWith('$') || field.includes('.') || !keys || keys.some((key) => key === undefined)) {
        residual[field] = condition;
        continue;
      }
      const allowed = new Set(keys);
      const admits = values!.length === 1 ? (value: unknown) => same(value, values![0]) : (value: unknown) => allowed.has(quickKey(value));
      candidates = candidates.filter((document) => Array.isArray(document[field]) || admits(document[field]));
      if (candidates.some((document) => Array.isArray(document[field]))) residual[field] = condition;
    }
    return { candidates, residual };
  }

  private static project(documents: Doc[], projection: Doc | undefined): Doc[] {
    const copies = documents.map(clone);
    return projection ? (new Query({}).find(copies, projection).all() as Doc[]) : copies;
  }

  /** E11000 when `candidate` would share a unique key with another document. */
  private checkUnique(candidate: Doc, replacing?: Doc): void {
    const others = this.documents.filter((d) => d !== replacing);
    for (const fields of [['_id'], ...this.unique]) this.checkUniqueOn(fields, candidate, others);
  }

  /** A missing field is indexed as null, as by the server. */
  private checkUniqueOn(fields: readonly string[], candidate: Doc, others: readonly Doc[]): void {
    const key = fields.map((f) => candidate[f] ?? null);
    const holder = others.find((d) => fields.every((f, i) => same(d[f] ?? null, key[i])));
    if (holder) {
      const keyValue = Object.fromEntries(fields.map((f, i) => [f, key[i]]));
      throw new mongo.MongoServerError({
        message: `E11000 duplicate key error collection: fake.${this.name} dup key: ${JSON.stringify(keyValue)}`,
        code: 11000,
        keyPattern: Object.fromEntries(fields.map((f) => [f, 1])),
        keyValue,
      });
    }
  }

  private static apply(document: Doc, update: unknown, inserting: boolean): Doc {
    if (Array.isArray(update) || typeof update !== 'object' || update === null) throw new Error('fake: only operator updates are supported');
    const next = clone(document);
    for (const [operator, fields] of Object.entries(update as Record<string, Doc>)) {
      for (const [field, value] of Object.entries(fields)) {
        if (field.includes('.')) throw new Error(`fake: ${operator} of a dotted path (${field}) is not supported`);
        if (operator === '$set' || (operator === '$setOnInsert' && inserting)) next[field] = clone(value);
        else if (operator === '$inc') next[field] = ((next[field] as number | undefined) ?? 0) + (value as number);
        else if (operator === '$unset') delete next[field];
        else if (operator === '$addToSet') next[field] = FakeCollection.addToSet(next[field], value);
        else if (operator === '$pull') next[field] = FakeCollection.pull(next[field], value);
        else if (operator === '$push') next[field] = FakeCollection.push(next[field], value);
        else if (operator !== '$setOnInsert') throw new Error(`fake: ${operator} is not supported`);
      }
    }
    return next;
  }

  /** `$addToSet` of one string, or of `{$each: [...]}` strings, to an array (created when missing). */
  private static addToSet(current: unknown, value: unknown): unknown[] {
    if (current !== undefined && !Array.isArray(current)) throw new Error('fake: $addToSet on a field that is not an array');
    const each = value && typeof value === 'object' && Array.isArray((value as Doc).$each) ? (value as { $each: unknown[] }).$each : [value];
    const next = [...((current as unknown[] | undefined) ?? [])];
    for (const item of each) {
      if (typeof item !== 'string') throw new Error('fake: $addToSet of strings only');
      if (!next.includes(item)) next.push(item);
    }
    return next;
  }

  /** `$pull` of one string, or of `{$in: [...]}` strings, from an array. */
  private static pull(current: unknown, value: unknown): unknown {
    if (current === undefined) return current;
    if (!Array.isArray(current)) throw new Error('fake: $pull on a field that is not an array');
    const drop = value && typeof value === 'object' && Array.isArray((value as Doc).$in) ? (value as { $in: unknown[] }).$in : [value];
    if (drop.some((item) => typeof item !== 'string')) throw new Error('fake: $pull of strings only');
    return current.filter((item) => !drop.includes(item));
  }

  /** `$push` of `{$each: [...], $slice: -n}` (the last n kept) to an array (created when missing). */
  private static push(current: unknown, value: unknown): unknown[] {
    if (current !== undefined && !Array.isArray(current)) throw new Error('fake: $push on a field that is not an array');
    const { $each, $slice, ...rest } = (value ?? {}) as { $each?: unknown[]; $slice?: number };
    if (!Array.isArray($each) || typeof $slice !== 'number' || $slice >= 0 || Object.keys(rest).length) throw new Error('fake: only $push of {$each, $slice: -n} is supported');
    return [...((current as unknown[] | undefined) ?? []), ...$each.map(clone)].slice($slice);
  }

  /** The documents and built indexes, to put back when a transaction aborts. */
  save(): () => void {
    // Writes replace documents (never change one in place) but push to and assign into the array: copy it.
    const documents = [...this.documents];
    const built = new Map(this.built);
    return () => {
      this.documents = documents;
      this.built.clear();
      for (const [name, spec] of built) this.built.set(name, spec);
    };
  }

  /** The equality fields of a filter, which an upsert copies into the new document. */
  private static seed(filter: Doc): Doc {
    return Object.fromEntries(Object.entries(filter).filter(([key, value]) => !key.startsWith('$') && (typeof value !== 'object' || value === null)));
  }

  private updateFirst(filter: Doc, update: unknown, options: UpdateOptions): { before: Doc | null; after: Doc | null; upserted: boolean } {
    const [found] = this.matching(filter);
    if (!found) {
      if (!options.upsert) return { before: null, after: null, upserted: false };
      const inserted = FakeCollection.apply({ _id: new mongo.ObjectId(), ...FakeCollection.seed(filter) }, update, true);
      this.checkUnique(inserted);
      this.documents.push(inserted);
      return { before: null, after: inserted, upserted: true };
    }
    const next = FakeCollection.apply(found, update, false);
    this.checkUnique(next, found);
    this.documents[this.documents.indexOf(found)] = next;
    return { before: found, after: next, upserted: false };
  }

  async insertOne(document: Doc, options: SessionOption = {}) {
    await this.enter('insertOne', document, options);
    const copy = clone(document);
    copy._id ??= new mongo.ObjectId();
    this.checkUnique(copy);
    this.documents.push(copy);
    return { acknowledged: true, insertedId: copy._id };
  }

  /** Ordered, as the driver's default: the documents before a duplicate key are inserted, it and those after are not. */
  async insertMany(documents: readonly Doc[], options: SessionOption = {}) {
    await this.enter('insertMany', documents, options);
    const insertedIds: Record<number, unknown> = {};
    documents.forEach((document, index) => {
      const copy = clone(document);
      copy._id ??= new mongo.ObjectId();
      this.checkUnique(copy);
      this.documents.push(copy);
      insertedIds[index] = copy._id;
    });
    return { acknowledged: true, insertedCount: documents.length, insertedIds };
  }

  async findOne(filter: Doc, options: FindOptions = {}) {
    await this.enter('findOne', filter, options);
    const matches = this.matching(filter);
    const [found] = options.sort ? new Query({}).find(matches).sort(options.sort).limit(1).all() as Doc[] : matches;
    return found ? FakeCollection.project([found], options.projection)[0] : null;
  }

  find(filter: Doc, options: FindOptions = {}) {
    return new FakeCursor(async () => {
      await this.enter('find', filter, options);
      let cursor = new Query({}).find(this.matching(filter));
      if (options.sort) cursor = cursor.sort(options.sort);
      if (options.skip) cursor = cursor.skip(options.skip);
      if (options.limit) cursor = cursor.limit(options.limit);
      return FakeCollection.project(cursor.all() as Doc[], options.projection);
    });
  }

  aggregate(pipeline: Doc[], options: SessionOption = {}) {
    return new FakeCursor(async () => {
      await this.enter('aggregate', pipeline, options);
      const collectionResolver = (name: string) => this.database.collection(name).snapshot();
      // The first $match (every aggregation the adapter sends has one) picks the input, as an index would.
      const first = pipeline[0]?.$match as Doc | undefined;
      const input = first ? this.matching(first).map(clone) : this.snapshot();
      return new Aggregator(pipeline, { collectionResolver }).run(input) as Doc[];
    });
  }

  async countDocuments(filter: Doc, options: { limit?: number } & SessionOption = {}) {
    await this.enter('countDocuments', filter, options);
    const count = this.matching(filter).length;
    return options.limit ? Math.min(count, options.limit) : count;
  }

  async findOneAndUpdate(filter: Doc, update: unknown, options: UpdateOptions = {}) {
    await this.enter('findOneAndUpdate', filter, options);
    const { before, after } = this.updateFirst(filter, update, options);
    const result = options.returnDocument === 'after' ? after : before;
    return result ? FakeCollection.project([result], options.projection)[0] : null;
  }

  async updateOne(filter: Doc, update: unknown, options: UpdateOptions = {}) {
    await this.enter('updateOne', filter, options);
    const { before, upserted } = this.updateFirst(filter, update, options);
    return { acknowledged: true, matchedCount: before ? 1 : 0, modifiedCount: before ? 1 : 0, upsertedCount: upserted ? 1 : 0 };
  }

  async updateMany(filter: Doc, update: unknown, options: SessionOption = {}) {
    await this.enter('updateMany', filter, options);
    const found = this.matching(filter);
    for (const document of found) {
      const next = FakeCollection.apply(document, update, false);
      this.checkUnique(next, document);
      this.documents[this.documents.indexOf(document)] = next;
    }
    return { acknowledged: true, matchedCount: found.length, modifiedCount: found.length, upsertedCount: 0 };
  }

  async deleteOne(filter: Doc, options: SessionOption = {}) {
    await this.enter('deleteOne', filter, options);
    const [found] = this.matching(filter);
    if (found) this.documents = this.documents.filter((d) => d !== found);
    return { acknowledged: true, deletedCount: found ? 1 : 0 };
  }

  async deleteMany(filter: Doc, options: SessionOption = {}) {
    await this.enter('deleteMany', filter, options);
    const found = new Set(this.matching(filter));
    this.documents = this.documents.filter((d) => !found.has(d));
    return { acknowledged: true, deletedCount: found.size };
  }

  /** Unordered: every operation runs; duplicate keys are reported together at the end, as the driver does. */
  async bulkWrite(operations: { updateOne?: { filter: Doc; update: unknown; upsert?: boolean } }[], options: { ordered?: boolean } & SessionOption = {}) {
    await this.enter('bulkWrite', operations.map((operation) => operation.updateOne?.filter), options);
    if (options.ordered !== false) throw new Error('fake: only unordered bulk writes are supported');
    const writeErrors: { code: number; index: number; errmsg: string }[] = [];
    const upsertedIds: Record<number, unknown> = {};
    let matchedCount = 0;
    operations.forEach((operation, index) => {
      if (!operation.updateOne) throw new Error('fake: only updateOne operations are supported in a bulk write');
      try {
        const { before, after, upserted } = this.updateFirst(operation.updateOne.filter, operation.updateOne.update, { upsert: operation.updateOne.upsert });
        if (upserted) upsertedIds[index] = after!._id;
        if (before) matchedCount++;
      } catch (error) {
        if ((error as { code?: unknown }).code !== 11000) throw error;
        writeErrors.push({ code: 11000, index, errmsg: (error as Error).message });
      }
    });
    if (writeErrors.length) throw new mongo.MongoBulkWriteError({ message: writeErrors[0].errmsg, code: 11000, writeErrors: writeErrors as never }, {} as never);
    // What the driver's BulkWriteResult says of updateOne upserts: which operations inserted.
    return { ok: 1, matchedCount, upsertedCount: Object.keys(upsertedIds).length, upsertedIds };
  }

  async createIndexes(specs: readonly (IndexSpec & { name: string })[]) {
    await this.enter('createIndexes', specs);
    for (const { name, key, unique, partialFilterExpression } of specs) {
      const existing = this.built.get(name);
      if (existing && JSON.stringify(existing.key) !== JSON.stringify(key)) throw new mongo.MongoServerError({ message: `An index named ${name} exists with another key`, code: 86 });
      if (unique) this.documents.forEach((document, i) => this.checkUniqueOn(Object.keys(key), document, this.documents.slice(0, i)));
      this.built.set(name, { key: { ...key }, unique, ...(partialFilterExpression ? { partialFilterExpression: { ...partialFilterExpression } } : {}) });
    }
    return specs.map((spec) => spec.name);
  }

  async dropIndex(name: string) {
    await this.enter('dropIndex', name);
    if (!this.built.delete(name)) throw new mongo.MongoServerError({ message: `index not found with name [${name}]`, code: 27 });
    return { ok: 1 };
  }

  async indexes() {
    await this.enter('indexes', null);
    return [...this.built].map(([name, spec]) => ({ name, ...spec }));
  }

  snapshot(): Doc[] {
    return this.documents.map(clone);
  }
}

/** The collections, serializable transactions, and a switch that makes every operation fail as if the server were gone. */
export class FakeDatabase {
  private readonly collections = new Map<string, FakeCollection>();
  /** While set, every operation throws what the driver throws when no server can be selected. */
  unreachable = false;
  /** When set, every operation is recorded here (the scope tests read what reached the collections). */
  journal?: JournalEntry[];
  /** When it returns true for an operation, that operation fails as if the connection dropped (before it is applied). */
  faultAt?: (entry: JournalEntry) => boolean;
  /** How many of the next transactions fail at commit with a TransientTransactionError (and are run again). */
  transientFailures = 0;
  /** How many transactions have committed. */
  commits = 0;
  private holder?: FakeSession;
  private released: Promise<void> = Promise.resolve();
  private sessions = 0;
  private readonly current = new AsyncLocalStorage<FakeSession>();

  /** `indexes`: those a new collection has built (by default every index indexes.ts declares). */
  constructor(private readonly indexes: readonly IndexDeclaration[] = INDEXES) {}

  collection(name: string): FakeCollection {
    let found = this.collections.get(name);
    if (!found) this.collections.set(name, (found = new FakeCollection(name, this, this.indexes)));
    return found;
  }

  /** Before each operation: inside its transaction at once; outside any, once no transaction runs. */
  async enter(session?: FakeSession): Promise<void> {
    await pause();
    if (this.unreachable) throw new mongo.MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017 (fake)');
    if (session) {
      if (session !== this.holder) throw new Error('fake: an operation names a session whose transaction is not running');
      return;
    }
    const inside = this.current.getStore();
    if (inside && inside === this.holder) throw new Error('fake: an operation inside a transaction was sent without its session');
    while (this.holder) await this.released;
  }

  /** Transactions.run over these collections, with the semantics the class comment describes. */
  readonly transactions: Transactions = {
    run: async <T>(work: (session: mongo.ClientSession) => Promise<T>): Promise<T> => {
      const session = new FakeSession(++this.sessions);
      for (;;) {
        while (this.holder) await this.released;
        let release!: () => void;
        this.released = new Promise<void>((resolve) => (release = resolve));
        this.holder = session;
        const restore = [...this.collections.values()].map((collection) => collection.save());
        try {
          const result = await this.current.run(session, () => work(session as unknown as mongo.ClientSession));
          if (this.transientFailures > 0) {
            this.transientFailures--;
            throw new TransientFailure();
          }
          this.commits++;
          return result;
        } catch (error) {
          for (const undo of restore) undo();
          if (!(error instanceof TransientFailure)) throw error;
        } finally {
          this.holder = undefined;
          release();
        }
      }
    },
  };

  /** What a store over these collections runs transactions with and takes the time from. */
  runtime(): StoreRuntime {
    return { transactions: this.transactions, now: () => new Date().toISOString() };
  }

  /** Typed as the driver's collections: the adapter cannot tell the difference for what it uses. */
  asCollections(): Collections {
    return {
      users: this.collection(COLLECTIONS.users),
      groups: this.collection(COLLECTIONS.groups),
      memberships: this.collection(COLLECTIONS.memberships),
      tokens: this.collection(COLLECTIONS.tokens),
      tenants: this.collection(COLLECTIONS.tenants),
      meta: this.collection(COLLECTIONS.meta),
      events: this.collection(COLLECTIONS.events),
      eventSequences: this.collection(COLLECTIONS.eventSequences),
      webhooks: this.collection(COLLECTIONS.webhooks),
      deliveries: this.collection(COLLECTIONS.deliveries),
      clients: this.collection(COLLECTIONS.clients),
      clientSecrets: this.collection(COLLECTIONS.clientSecrets),
      failures: this.collection(COLLECTIONS.failures),
      activityHours: this.collection(COLLECTIONS.activityHours),
    } as unknown as Collections;
  }
}

/** A write conflict at commit: withTransaction runs the work again. */
class TransientFailure extends Error {
  override name = 'TransientFailure';
}

/** The MongoDB adapter's store over in-memory collections: ready while the database is reachable. */
export function inMemoryMongoStore(database: FakeDatabase = new FakeDatabase()): Store {
  return mongoStoreOn(database.asCollections(), loadSchemaRegistry(), {
    description: 'mongodb://in-memory/roster',
    ready: () => !database.unreachable,
    close: async () => undefined,
  }, database.runtime());
}
