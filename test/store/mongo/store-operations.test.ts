import { mongo } from 'mongoose';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import type { Collections } from '../../../src/store/mongo/models';
import { mongoStoreOn } from '../../../src/store/mongo/mongo-store';
import { OPTIONS_ARGUMENT, timeLimited, withTimeLimit } from '../../../src/store/mongo/time-limit';
import { rulesOf } from '../../../src/store/mongo/validators';
import { FakeDatabase } from '../contract/mingo-collections';
import { storeContract } from '../contract/store-contract';

/**
 * What the MongoDB adapter sends and stores, over the whole Store contract (run here once more
 * over the in-memory collections): every operation carries the time limit (MONGODB_TIMEOUT),
 * and every document it leaves in a collection passes that collection's validator, which `mongo
 * migrate` installs on a real server (a write that did not would be refused there).
 */
const LIMIT_MS = 4_321;

interface Call {
  readonly collection: string;
  readonly method: string;
  readonly options: unknown;
}

const calls: Call[] = [];
const databases: FakeDatabase[] = [];

/** Records every method called on the collections, with the options argument it would carry. */
function recording(collections: Collections): Collections {
  return Object.fromEntries(Object.entries(collections).map(([name, collection]) => [name, new Proxy(collection as object, {
    get(target, property) {
      const member = Reflect.get(target, property) as unknown;
      if (typeof member !== 'function' || typeof property !== 'string') return member;
      return (...args: unknown[]) => {
        calls.push({ collection: name, method: property, options: Object.hasOwn(OPTIONS_ARGUMENT, property) ? args[OPTIONS_ARGUMENT[property]] : undefined });
        return (member as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  })])) as unknown as Collections;
}

storeContract('MongoDB adapter (in-memory, time-limited, recorded)', async () => {
  const database = new FakeDatabase();
  databases.push(database);
  const collections = timeLimited(recording(database.asCollections()), LIMIT_MS);
  const store = mongoStoreOn(collections, loadSchemaRegistry(), { description: 'recorded', ready: () => true, close: async () => undefined }, database.runtime());
  return { store, close: async () => undefined };
});

type Schema = Readonly<Record<string, unknown>>;

/** The `$jsonSchema` keywords the validators use, checked as the server checks them; any other keyword fails the test. */
function violations(value: unknown, schema: Schema, path = '$'): string[] {
  for (const keyword of Object.keys(schema)) {
    if (!['bsonType', 'required', 'properties', 'items', 'enum'].includes(keyword)) throw new Error(`unexpected $jsonSchema keyword ${keyword}`);
  }
  if (schema.enum !== undefined && !(schema.enum as unknown[]).includes(value)) return [`${path}: ${JSON.stringify(value)} is not one of ${(schema.enum as unknown[]).join(', ')}`];
  const types = schema.bsonType === undefined ? undefined : ([] as string[]).concat(schema.bsonType as string | string[]);
  const typeOf = value === null ? 'null' : Array.isArray(value) ? 'array' : value instanceof mongo.ObjectId ? 'objectId'
    : typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'bool' : 'object';
  if (types && !types.includes(typeOf)) return [`${path}: ${typeOf} is not ${types.join(' or ')}`];
  const found: string[] = [];
  if (typeOf === 'object') {
    const document = value as Record<string, unknown>;
    for (const field of (schema.required as string[] | undefined) ?? []) if (!(field in document)) found.push(`${path}.${field}: missing`);
    for (const [field, inner] of Object.entries((schema.properties as Record<string, Schema> | undefined) ?? {})) {
      if (field in document) found.push(...violations(document[field], inner, `${path}.${field}`));
    }
  }
  if (typeOf === 'array' && schema.items) (value as unknown[]).forEach((item, n) => found.push(...violations(item, schema.items as Schema, `${path}[${n}]`)));
  return found;
}

const schemaOf = (collection: keyof Collections) => rulesOf(collection).validator.$jsonSchema;

describe('what the adapter sends and stores over the contract', () => {
  it('sends every operation with the time limit, through methods whose options the limit knows', () => {
    expect(calls.length).toBeGreaterThan(1000);
    const unknown = calls.filter((call) => !Object.hasOwn(OPTIONS_ARGUMENT, call.method)).map((call) => `${call.collection}.${call.method}`);
    expect([...new Set(unknown)]).toEqual([]);
    const unbounded = calls.filter((call) => (call.options as { maxTimeMS?: unknown } | undefined)?.maxTimeMS !== LIMIT_MS);
    expect(unbounded.map((call) => `${call.collection}.${call.method}`)).toEqual([]);
  });

  it('stores only documents that pass their collection\'s validator', () => {
    let documents = 0;
    for (const database of databases) {
      for (const collection of Object.keys(COLLECTIONS) as (keyof Collections)[]) {
        for (const document of database.collection(COLLECTIONS[collection]).snapshot()) {
          documents++;
          expect({ collection, id: document._id, problems: violations(document, schemaOf(collection)) }).toEqual({ collection, id: document._id, problems: [] });
        }
      }
    }
    expect(documents).toBeGreaterThan(100);
  });
});

describe('the validators', () => {
  const user = { _id: 'u1', tenantId: 'default', version: 1, created: 'c', lastModified: 'm', live: true, userNameKey: 'ada', groupIds: ['g1'], data: {}, q: {} };

  it('state the fields of a user: live and groupIds required, groupIds strings only', () => {
    expect(violations(user, schemaOf('users'))).toEqual([]);
    const { live: _live, ...withoutLive } = user;
    expect(violations(withoutLive, schemaOf('users'))).toEqual(['$.live: missing']);
    expect(violations({ ...user, groupIds: ['g1', null] }, schemaOf('users'))).toEqual(['$.groupIds[1]: null is not string']);
    expect(violations({ ...user, live: 'yes' }, schemaOf('users'))).toEqual(['$.live: string is not bool']);
    expect(violations({ ...user, deletedAt: 5 }, schemaOf('users'))).toEqual(['$.deletedAt: number is not string or null']);
  });

  it('refuse what the server should refuse, and accept an operator token', () => {
    expect(violations({ tenantId: 'default', group: 'g', member: 'u' }, schemaOf('memberships'))).toEqual(['$._id: missing']);
    expect(violations({ _id: new mongo.ObjectId(), tenantId: 'default', group: 'g', member: 'u' }, schemaOf('memberships'))).toEqual([]);
    expect(violations({ _id: 't', tenantId: null, name: 'n', hash: 'h', created: 'c', bootstrap: true }, schemaOf('tokens'))).toEqual([]);
    expect(violations({ _id: 'schema', version: 1, migrated: 'now' }, schemaOf('meta'))).toEqual([]);
  });

  it('state the fields of events, webhooks and deliveries: a delivery\'s state is one of three, an event\'s member optional', () => {
    const event = { _id: new mongo.ObjectId(), tenantId: 'default', seq: 1, type: 'user.created', occurredAt: 'o', resourceId: 'u1', event: { id: 1 } };
    expect(violations(event, schemaOf('events'))).toEqual([]);
    expect(violations({ ...event, memberId: 'u2', actorTokenId: 't1' }, schemaOf('events'))).toEqual([]);
    expect(violations({ ...event, seq: '1' }, schemaOf('events'))).toEqual(['$.seq: string is not number']);
    const delivery = { _id: new mongo.ObjectId(), tenantId: 'default', webhookId: 'w1', eventId: 1, eventType: 'user.created', resourceId: 'u1', state: 'pending', queuedAt: 'q', nextAttemptAt: null, attempts: [{ at: 'a', durationMs: 3 }] };
    expect(violations(delivery, schemaOf('deliveries'))).toEqual([]);
    expect(violations({ ...delivery, state: 'sent' }, schemaOf('deliveries'))).toEqual(['$.state: "sent" is not one of pending, delivered, failed']);
    expect(violations({ ...delivery, attempts: [{ at: 'a' }] }, schemaOf('deliveries'))).toEqual(['$.attempts[0].durationMs: missing']);
    expect(violations({ _id: 'default', tenantId: 'default', seq: 7 }, schemaOf('eventSequences'))).toEqual([]);
  });

  it('are checked on every insert and on updates of documents that pass, and refuse with an error', () => {
    expect(rulesOf('users')).toMatchObject({ validationLevel: 'moderate', validationAction: 'error' });
  });
});

describe('the time limit', () => {
  it('adds maxTimeMS to the options of each operation, keeping the session and a limit the caller set', async () => {
    const seen: unknown[][] = [];
    const collection = {
      find: (...args: unknown[]) => void seen.push(args),
      findOneAndUpdate: (...args: unknown[]) => void seen.push(args),
      indexes: (...args: unknown[]) => void seen.push(args),
      collectionName: 'users',
    };
    const limited = withTimeLimit(collection, 500);
    const session = { id: 1 };
    limited.find({ a: 1 });
    limited.find({ a: 1 }, { session, projection: { q: 0 } });
    limited.find({}, { maxTimeMS: 50 });
    limited.findOneAndUpdate({ _id: 'x' }, { $set: { b: 1 } });
    limited.indexes();
    expect(seen).toEqual([
      [{ a: 1 }, { maxTimeMS: 500 }],
      [{ a: 1 }, { maxTimeMS: 500, session, projection: { q: 0 } }],
      [{}, { maxTimeMS: 50 }],
      [{ _id: 'x' }, { $set: { b: 1 } }, { maxTimeMS: 500 }],
      [],
    ]);
    expect(limited.collectionName).toBe('users');
    expect((seen[1][1] as { session: unknown }).session).toBe(session);
  });
});
