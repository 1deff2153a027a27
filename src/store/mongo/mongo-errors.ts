import { mongo } from 'mongoose';
import { StoreUnavailable } from '../port';

/** How long a client is asked to wait before retrying a request the store could not serve. */
export const RETRY_AFTER_SECONDS = 5;

const DUPLICATE_KEY = 11000;

/**
 * Server error codes that mean "the database cannot serve this right now" rather than "this
 * request is wrong": elections, step-downs, shutdowns, network trouble between the server and
 * its peers, a majority write concern that timed out (the primary cannot reach a majority), an
 * operation that ran out of its time (MONGODB_TIMEOUT), and mongos failing to reach a shard.
 */
const UNAVAILABLE_CODES = new Set<number>([
  6, // HostUnreachable
  7, // HostNotFound
  50, // MaxTimeMSExpired: the operation's maxTimeMS (MONGODB_TIMEOUT) ran out
  64, // WriteConcernFailed (wtimeout: no majority reachable)
  89, // NetworkTimeout
  133, // FailedToSatisfyReadPreference: mongos found no primary of a shard
  202, // NetworkInterfaceExceededTimeLimit: mongos waited too long for a shard
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/** Node's DNS and socket error codes for "cannot reach it now". */
const SYSTEM_UNAVAILABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ETIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ESERVFAIL']);

/**
 * Transactions that could not finish: still conflicting with concurrent ones after
 * withTransaction's retries (TransientTransactionError), or a commit whose outcome the driver
 * could not learn (UnknownTransactionCommitResult). A later attempt may succeed.
 */
const UNFINISHED_TRANSACTION = [mongo.MongoErrorLabel.TransientTransactionError, mongo.MongoErrorLabel.UnknownTransactionCommitResult];

/**
 * Whether an error means the database is out of reach or out of time (as opposed to a bug or
 * a refused write). The driver retries a retryable read or write once by itself; what still
 * fails here becomes StoreUnavailable, a 503 with Retry-After.
 */
export function isConnectivityError(error: unknown): boolean {
  if (error instanceof mongo.MongoNetworkError) return true; // includes MongoNetworkTimeoutError and pool-cleared errors
  if (error instanceof mongo.MongoServerSelectionError) return true; // no suitable server within serverSelectionTimeoutMS
  if (error instanceof mongo.MongoNotConnectedError) return true;
  if (error instanceof mongo.MongoTopologyClosedError) return true;
  if (error instanceof mongo.MongoOperationTimeoutError) return true;
  if (error instanceof mongo.MongoError) {
    if (error.hasErrorLabel(mongo.MongoErrorLabel.RetryableWriteError) || error.hasErrorLabel(mongo.MongoErrorLabel.ResetPool)) return true;
    if (UNFINISHED_TRANSACTION.some((label) => error.hasErrorLabel(label))) return true;
    if (typeof error.code === 'number' && UNAVAILABLE_CODES.has(error.code)) return true;
    // A bulk write's own code is that of its first failure; a write concern error rides beside it.
    const writeConcernCode = (error as { writeConcernError?: { code?: unknown } }).writeConcernError?.code;
    if (typeof writeConcernCode === 'number' && UNAVAILABLE_CODES.has(writeConcernCode)) return true;
  }
  // Mongoose's own wrapper of a failed server selection (thrown by its connection helpers).
  if ((error as { name?: unknown })?.name === 'MongooseServerSelectionError') return true;
  // DNS trouble resolving a mongodb+srv:// name reaches us as Node's own error.
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && SYSTEM_UNAVAILABLE_CODES.has(code);
}

/** Connectivity errors become StoreUnavailable (keeping the driver error as `cause`); others pass through. */
export function translateError(error: unknown): unknown {
  if (error instanceof StoreUnavailable || !isConnectivityError(error)) return error;
  return new StoreUnavailable('The database is out of reach right now', RETRY_AFTER_SECONDS, { cause: error });
}

/**
 * Wraps every method of a store part (users, groups, tokens) so that a lost connection surfaces
 * as StoreUnavailable, whatever method met it.
 */
export function guardStore<T extends object>(target: T): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(target)) {
    guarded[name] = typeof member === 'function'
      ? async (...args: unknown[]) => {
        try {
          return await (member as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (error) {
          throw translateError(error);
        }
      }
      : member;
  }
  return guarded as T;
}

/** The server's duplicate-key refusal (E11000) on an index over `field`. */
export function isDuplicateKey(error: unknown, field: string): boolean {
  if (!(error instanceof mongo.MongoServerError) || error.code !== DUPLICATE_KEY) return false;
  const keyPattern = (error as { keyPattern?: unknown }).keyPattern;
  if (keyPattern && typeof keyPattern === 'object') return field in keyPattern;
  // Servers that do not report keyPattern still name the key: "… dup key: { userNameKey: "x" }".
  return new RegExp(`\\b${field}\\b`).test(error.message);
}
