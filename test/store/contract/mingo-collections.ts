import { mongo } from 'mongoose';
import { Aggregator, Query } from 'mingo';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { INDEXES } from '../../../src/store/mongo/indexes';
import type { Collections } from '../../../src/store/mongo/models';

/**
 * An in-memory stand-in for the four MongoDB collections, so the contract runs against the
 * MongoDB adapter's own code on machines without a server. Queries, projections, sorts and
 * aggregations are mingo's (an independent implementation of MongoDB's query language); the
 * writes implement just what the adapter uses ($set and $inc of top-level fields, $setOnInsert on
 * upsert), and each refuses anything else, so a change in the adapter cannot silently pass here.
 * Unique indexes come from indexes.ts and fail like the server (E11000, keyPattern, keyValue).
 * Every operation is atomic and yields to the event loop first, so concurrent callers
 * interleave between operations as they do against a server.
 *
 * What it cannot show: the server's field-name rules (dots and dollars in stored keys), write
 * concern, network failures, index use and performance. The MongoDB contract run in CI does.
 */
type Doc = Record<string, unknown>;

const clone = <T>(value: T): T => structuredClone(value);
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

interface UpdateOptions {
  readonly upsert?: boolean;
  readonly returnDocument?: 'before' | 'after';
  readonly projection?: Doc;
}

interface FindOptions {
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

class FakeCollection {
  private documents: Doc[] = [];
  private readonly unique: readonly (readonly string[])[];

  constructor(private readonly name: string, private readonly database: FakeDatabase) {
    this.unique = INDEXES.filter((i) => i.collection === name && i.options.unique).map((i) => Object.keys(i.fields));
  }

  private matching(filter: Doc): Doc[] {
    const query = new Query(filter);
    return this.documents.filter((document) => query.test(document));
  }

  private static project(documents: Doc[], projection: Doc | undefined): Doc[] {
    const copies = documents.map(clone);
    return projection ? (new Query({}).find(copies, projection).all() as Doc[]) : copies;
  }

  /** E11000 when `candidate` would share a unique key with another document. */
  private checkUnique(candidate: Doc, replacing?: Doc): void {
    for (const fields of [['_id'], ...this.unique]) {
      const key = fields.map((f) => candidate[f] ?? null);
      const holder = this.documents.find((d) => d !== replacing && fields.every((f, i) => JSON.stringify(d[f] ?? null) === JSON.stringify(key[i])));
      if (!holder) continue;
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
        else if (operator !== '$setOnInsert') throw new Error(`fake: ${operator} is not supported`);
      }
    }
    return next;
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

  async insertOne(document: Doc) {
    await this.database.enter();
    const copy = clone(document);
    copy._id ??= new mongo.ObjectId();
    this.checkUnique(copy);
    this.documents.push(copy);
    return { acknowledged: true, insertedId: copy._id };
  }

  async findOne(filter: Doc, options: FindOptions = {}) {
    await this.database.enter();
    const [found] = this.matching(filter);
    return found ? FakeCollection.project([found], options.projection)[0] : null;
  }

  find(filter: Doc, options: FindOptions = {}) {
    return new FakeCursor(async () => {
      await this.database.enter();
      let cursor = new Query(filter).find(this.documents.map(clone));
      if (options.sort) cursor = cursor.sort(options.sort);
      if (options.skip) cursor = cursor.skip(options.skip);
      if (options.limit) cursor = cursor.limit(options.limit);
      return FakeCollection.project(cursor.all() as Doc[], options.projection);
    });
  }

  aggregate(pipeline: Doc[]) {
    return new FakeCursor(async () => {
      await this.database.enter();
      const collectionResolver = (name: string) => this.database.collection(name).snapshot();
      return new Aggregator(pipeline, { collectionResolver }).run(this.snapshot()) as Doc[];
    });
  }

  async countDocuments(filter: Doc, options: { limit?: number } = {}) {
    await this.database.enter();
    const count = this.matching(filter).length;
    return options.limit ? Math.min(count, options.limit) : count;
  }

  async findOneAndUpdate(filter: Doc, update: unknown, options: UpdateOptions = {}) {
    await this.database.enter();
    const { before, after } = this.updateFirst(filter, update, options);
    const result = options.returnDocument === 'after' ? after : before;
    return result ? FakeCollection.project([result], options.projection)[0] : null;
  }

  async updateOne(filter: Doc, update: unknown, options: UpdateOptions = {}) {
    await this.database.enter();
    const { before, upserted } = this.updateFirst(filter, update, options);
    return { acknowledged: true, matchedCount: before ? 1 : 0, modifiedCount: before ? 1 : 0, upsertedCount: upserted ? 1 : 0 };
  }

  async updateMany(filter: Doc, update: unknown) {
    await this.database.enter();
    const found = this.matching(filter);
    for (const document of found) {
      const next = FakeCollection.apply(document, update, false);
      this.checkUnique(next, document);
      this.documents[this.documents.indexOf(document)] = next;
    }
    return { acknowledged: true, matchedCount: found.length, modifiedCount: found.length, upsertedCount: 0 };
  }

  async deleteOne(filter: Doc) {
    await this.database.enter();
    const [found] = this.matching(filter);
    if (found) this.documents = this.documents.filter((d) => d !== found);
    return { acknowledged: true, deletedCount: found ? 1 : 0 };
  }

  async deleteMany(filter: Doc) {
    await this.database.enter();
    const found = new Set(this.matching(filter));
    this.documents = this.documents.filter((d) => !found.has(d));
    return { acknowledged: true, deletedCount: found.size };
  }

  /** Unordered: every operation runs; duplicate keys are reported together at the end, as the driver does. */
  async bulkWrite(operations: { updateOne?: { filter: Doc; update: unknown; upsert?: boolean } }[], options: { ordered?: boolean } = {}) {
    await this.database.enter();
    if (options.ordered !== false) throw new Error('fake: only unordered bulk writes are supported');
    const writeErrors: { code: number; index: number; errmsg: string }[] = [];
    operations.forEach((operation, index) => {
      if (!operation.updateOne) throw new Error('fake: only updateOne operations are supported in a bulk write');
      try {
        this.updateFirst(operation.updateOne.filter, operation.updateOne.update, { upsert: operation.updateOne.upsert });
      } catch (error) {
        if ((error as { code?: unknown }).code !== 11000) throw error;
        writeErrors.push({ code: 11000, index, errmsg: (error as Error).message });
      }
    });
    if (writeErrors.length) throw new mongo.MongoBulkWriteError({ message: writeErrors[0].errmsg, code: 11000, writeErrors: writeErrors as never }, {} as never);
    return { ok: 1 };
  }

  snapshot(): Doc[] {
    return this.documents.map(clone);
  }
}

/** The four collections, and a switch that makes every operation fail as if the server were gone. */
export class FakeDatabase {
  private readonly collections = new Map<string, FakeCollection>();
  /** While set, every operation throws what the driver throws when no server can be selected. */
  unreachable = false;

  collection(name: string): FakeCollection {
    let found = this.collections.get(name);
    if (!found) this.collections.set(name, (found = new FakeCollection(name, this)));
    return found;
  }

  async enter(): Promise<void> {
    await pause();
    if (this.unreachable) throw new mongo.MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017 (fake)');
  }

  /** Typed as the driver's collections: the adapter cannot tell the difference for what it uses. */
  asCollections(): Collections {
    return {
      users: this.collection(COLLECTIONS.users),
      groups: this.collection(COLLECTIONS.groups),
      memberships: this.collection(COLLECTIONS.memberships),
      tokens: this.collection(COLLECTIONS.tokens),
    } as unknown as Collections;
  }
}
