import type { Collections } from './models';

/**
 * Where each collection method the store uses takes its options: the argument that gains
 * `maxTimeMS`. A method the store calls that is not listed here fails a test
 * (test/store/mongo/time-limit.test.ts records every call a store makes).
 */
export const OPTIONS_ARGUMENT: Readonly<Record<string, number>> = {
  find: 1,
  findOne: 1,
  countDocuments: 1,
  aggregate: 1,
  distinct: 2,
  insertOne: 1,
  insertMany: 1,
  findOneAndUpdate: 2,
  findOneAndReplace: 2,
  findOneAndDelete: 1,
  updateOne: 2,
  updateMany: 2,
  replaceOne: 2,
  deleteOne: 1,
  deleteMany: 1,
  bulkWrite: 1,
};

/**
 * `collection` with `maxTimeMS` added to the options of every operation that does not set its
 * own: the server interrupts an operation that runs longer (MaxTimeMSExpired, answered 503 with
 * Retry-After: mongo-errors.ts), so no request holds a connection, and a client, waiting on a
 * slow query or a lock for longer than MONGODB_TIMEOUT. (The 7.x driver's client-wide
 * `timeoutMS` would have done this, but it is deprecated and ignored.) Inside a transaction each
 * operation carries it too; the commit has its own limit (maxCommitTimeMS, transactions.ts).
 */
export function withTimeLimit<C extends object>(collection: C, maxTimeMS: number): C {
  return new Proxy(collection, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      const at = typeof property === 'string' && Object.hasOwn(OPTIONS_ARGUMENT, property) ? OPTIONS_ARGUMENT[property] : undefined;
      if (at === undefined || typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        const bounded = [...args];
        bounded[at] = { maxTimeMS, ...(args[at] as object | undefined) };
        return (member as (...a: unknown[]) => unknown).apply(target, bounded);
      };
    },
  });
}

/** Every collection of a store, each operation bounded by `maxTimeMS`. */
export function timeLimited(collections: Collections, maxTimeMS: number): Collections {
  return Object.fromEntries(Object.entries(collections).map(([name, collection]) => [name, withTimeLimit(collection as object, maxTimeMS)])) as unknown as Collections;
}
