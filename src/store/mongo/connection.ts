import { mongo } from 'mongoose';
import type { Logger } from '../../logger';
import { isConnectivityError } from './mongo-errors';

/**
 * The one MongoDB client of a store, and whether it can serve requests.
 *
 * Write concern is `majority`: a write the client has been told about survives the loss of the
 * primary, so another Roster instance (or this one after a failover) never reads a version or
 * membership that later rolls back. That guarantee needs a replica set (a single-node replica set
 * will do); on a standalone server `majority` is accepted and means that one server. The adapter
 * uses no multi-document transactions: every write is one atomic single-document operation (a
 * conditional update on the version, an upsert of one membership), so a replica set is required
 * for durability and failover, not for transactions. Reads go to the primary (the default read
 * preference), so a read after an acknowledged write sees it.
 *
 * MongoDB 5.0 or later is required (checked at start-up): SCIM attributes are stored under
 * their own names, which contain dots (the extension URNs' "2.0") and start with "$" (`$ref`),
 * and only 5.0 accepts those nested field names in updates and reads them with $getField.
 */
export interface MongoConnection {
  readonly client: mongo.MongoClient;
  /** The connection string without credentials or options, for logs and Store.description. */
  readonly redactedUri: string;
  /** True while a server that accepts writes (primary, standalone, mongos) is known to be up. */
  ready(): boolean;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Wait before the second attempt; it doubles after every failed attempt, up to maxDelayMs. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Gives up (rethrowing the last error) after this many attempts; by default a server waits for its database for ever. */
  readonly maxAttempts?: number;
  /**
   * How long one connection attempt, and later one operation, waits for a usable server before
   * failing (then StoreUnavailable, 503): requests fail fast while the driver reconnects.
   */
  readonly serverSelectionTimeoutMS?: number;
  /** Replaceable in tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const DEFAULTS = { initialDelayMs: 500, maxDelayMs: 30_000, maxAttempts: Infinity, serverSelectionTimeoutMS: 5_000 } as const;

/** A majority write that cannot reach a majority in this long fails (503) instead of hanging the request. */
const MAJORITY_TIMEOUT_MS = 10_000;

const WRITABLE_SERVER_TYPES: ReadonlySet<mongo.ServerType> = new Set<mongo.ServerType>(['RSPrimary', 'Standalone', 'Mongos', 'LoadBalancer']);

const sleeping = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The driver refused the connection string before connecting: retrying cannot help. */
export class InvalidConnectionString extends Error {
  override name = 'InvalidConnectionString';
}

function newClient(uri: string, serverSelectionTimeoutMS: number): mongo.MongoClient {
  try {
    return new mongo.MongoClient(uri, {
      appName: 'roster',
      writeConcern: { w: 'majority', wtimeoutMS: MAJORITY_TIMEOUT_MS },
      retryWrites: true,
      retryReads: true,
      serverSelectionTimeoutMS,
    });
  } catch (error) {
    // The parser's errors are of several classes (MongoParseError, MongoAPIError, …); their
    // messages quote parts of the string, never mind credentials: keep those out.
    const message = error instanceof Error ? error.message.replace(/\/\/[^@\s/]*@/g, '//') : String(error);
    throw new InvalidConnectionString(message, { cause: error });
  }
}

/** `mongodb://user:secret@host1,host2/db?opts` → `mongodb://host1,host2/db`. */
export function redactUri(uri: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/)(?:[^@/?]*@)?([^/?]*)(\/[^?]*)?/.exec(uri);
  return match ? `${match[1]}${match[2]}${match[3] ?? ''}` : 'mongodb://(unparsable connection string)';
}

/**
 * Connects, retrying the first connection with exponential backoff (0.5 s doubling to 30 s by
 * default) while the database is out of reach, logging every attempt; resolves once a server
 * that accepts writes has answered a ping. Errors that retrying cannot cure are thrown at once:
 * a malformed connection string (InvalidConnectionString), refused credentials, a server older
 * than 5.0. After that the driver reconnects by itself; `ready()` follows the topology it reports.
 */
export async function connectMongo(uri: string, logger: Logger, options: ConnectOptions = {}): Promise<MongoConnection> {
  const settings = { ...DEFAULTS, ...options };
  const sleep = options.sleep ?? sleeping;
  const redactedUri = redactUri(uri);
  let delay = settings.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    logger.info('connecting to MongoDB', { uri: redactedUri, attempt });
    const client = newClient(uri, settings.serverSelectionTimeoutMS);
    const readiness = watchReadiness(client, logger, redactedUri);
    try {
      await client.connect();
      // Default read preference: primary. Resolves only once a writable server answers.
      await client.db('admin').command({ ping: 1 });
      await requireServerVersion(client);
      readiness.connected();
      logger.info('connected to MongoDB', { uri: redactedUri, attempt });
      return {
        client,
        redactedUri,
        ready: () => readiness.ready(),
        async close() {
          readiness.closing();
          await client.close();
        },
      };
    } catch (error) {
      readiness.closing();
      await client.close().catch(() => undefined);
      if (!isConnectivityError(error) || attempt >= settings.maxAttempts) throw error;
      logger.warn('MongoDB is out of reach; retrying', { uri: redactedUri, attempt, retryInMs: delay, error: (error as Error).message });
      await sleep(delay);
      delay = Math.min(delay * 2, settings.maxDelayMs);
    }
  }
}

/** The oldest MongoDB whose storage rules accept what Roster stores (see MongoConnection). */
const MINIMUM_SERVER_MAJOR = 5;

async function requireServerVersion(client: mongo.MongoClient): Promise<void> {
  const { version } = await client.db('admin').command({ buildInfo: 1 });
  const major = Number.parseInt(String(version), 10);
  if (Number.isFinite(major) && major < MINIMUM_SERVER_MAJOR) {
    throw new Error(`MongoDB ${String(version)} is too old for Roster: use MongoDB ${MINIMUM_SERVER_MAJOR}.0 or later`);
  }
}

/**
 * Follows the driver's view of the deployment (SDAM topology events): ready while some known
 * server accepts writes. Transitions after the first connection are logged, so an outage and
 * the recovery show up in the log once each, not once per failed request.
 */
function watchReadiness(client: mongo.MongoClient, logger: Logger, uri: string) {
  let writable = false;
  let connected = false;
  let closed = false;
  client.on('topologyDescriptionChanged', (event) => {
    const now = [...event.newDescription.servers.values()].some((server) => WRITABLE_SERVER_TYPES.has(server.type));
    if (now === writable) return;
    writable = now;
    if (!connected || closed) return;
    if (now) logger.info('MongoDB is reachable again: serving requests', { uri });
    else logger.warn('lost the MongoDB primary: requests are answered 503 until the driver reconnects', { uri });
  });
  return {
    /** A ping just reached a writable server, whatever events are still on their way. */
    connected() {
      connected = true;
      writable = true;
    },
    closing() {
      closed = true;
    },
    ready: () => connected && writable && !closed,
  };
}
