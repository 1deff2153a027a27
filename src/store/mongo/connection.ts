import { mongo } from 'mongoose';
import type { MongoReadConcern } from '../../config/config';
import type { Logger } from '../../logger';
import { deploymentOf, type Deployment, type HelloReply } from './deployment';
import { isConnectivityError } from './mongo-errors';
import { watchReadiness } from './readiness';
import { startServerClock, type ServerClock } from './server-clock';

/**
 * The one MongoDB client of a store, and whether it can serve requests.
 *
 * Write concern is `majority`, always: a write the client has been told about survives the
 * loss of the primary, so it never rolls back, and no client is ever handed a version (an ETag)
 * that a later write reuses for other content. The read concern is `majority` by default
 * (MONGODB_READ_CONCERN): a read never returns a write that could still roll back. Reads go to
 * the primary (the default read preference), so a read after an acknowledged write sees it.
 *
 * A replica set or a sharded cluster is required (checked at start-up, deployment.ts): every
 * write that touches several documents runs in a multi-document transaction (transactions.ts).
 * A single-node replica set will do for development.
 *
 * MongoDB 5.0 or later is required (checked at start-up): SCIM attributes are stored under
 * their own names, which contain dots (the extension URNs' "2.0") and start with "$" (`$ref`),
 * and only 5.0 accepts those nested field names in updates and reads them with $getField.
 */
export interface MongoConnection {
  readonly client: mongo.MongoClient;
  /** The connection string without credentials or options, for logs and Store.description. */
  readonly redactedUri: string;
  /** What `hello` said the server is: start-up refuses a standalone server. */
  readonly deployment: Deployment;
  /** True while a server that accepts writes (primary, mongos) is known to be up. */
  ready(): boolean;
  /** The primary's time (server-clock.ts), for `meta.created` and `meta.lastModified`. */
  now(): string;
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
  /** The read concern of reads outside transactions (MONGODB_READ_CONCERN). */
  readonly readConcern?: MongoReadConcern;
  /**
   * How long a majority write waits for a majority (MONGODB_WRITE_TIMEOUT): then it fails (503)
   * instead of hanging the request while the primary cannot reach its secondaries.
   */
  readonly writeTimeoutMs?: number;
  /** How often the server's clock is read again (server-clock.ts). */
  readonly clockRefreshMs?: number;
  /** Replaceable in tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const DEFAULTS = {
  initialDelayMs: 500, maxDelayMs: 30_000, maxAttempts: Infinity, serverSelectionTimeoutMS: 5_000, readConcern: 'majority', writeTimeoutMs: 10_000,
} as const;

type ClientSettings = Pick<Required<ConnectOptions>, 'serverSelectionTimeoutMS' | 'readConcern' | 'writeTimeoutMs'>;

const sleeping = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The driver refused the connection string before connecting: retrying cannot help. */
export class InvalidConnectionString extends Error {
  override name = 'InvalidConnectionString';
}

/**
 * The client's options. No `timeoutMS`: the 7.x driver ignores it (deprecated, "has no effect"),
 * so operations are bounded by the maxTimeMS every one of them carries (time-limit.ts), and
 * waits for a majority by wtimeoutMS.
 */
export function clientOptions(settings: ClientSettings): mongo.MongoClientOptions {
  return {
    appName: 'roster',
    readConcern: { level: settings.readConcern },
    writeConcern: { w: 'majority', wtimeoutMS: settings.writeTimeoutMs },
    retryWrites: true,
    retryReads: true,
    serverSelectionTimeoutMS: settings.serverSelectionTimeoutMS,
  };
}

function newClient(uri: string, settings: ClientSettings): mongo.MongoClient {
  try {
    return new mongo.MongoClient(uri, clientOptions(settings));
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
 * than 5.0, a standalone server (DatabaseRefused). After that the driver reconnects by itself;
 * `ready()` follows the topology it reports.
 */
export async function connectMongo(uri: string, logger: Logger, options: ConnectOptions = {}): Promise<MongoConnection> {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as ConnectOptions;
  const settings = { ...DEFAULTS, ...given };
  const sleep = options.sleep ?? sleeping;
  const redactedUri = redactUri(uri);
  let delay = settings.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    logger.info('connecting to MongoDB', { uri: redactedUri, attempt });
    const client = newClient(uri, settings);
    const readiness = watchReadiness(client, logger, redactedUri);
    let clock: ServerClock | undefined;
    try {
      await client.connect();
      // Default read preference: primary. Resolves only once a writable server answers.
      await client.db('admin').command({ ping: 1 });
      await requireServerVersion(client);
      // One `hello` serves both: the clock's first reading, and what kind of deployment this is.
      let first: HelloReply | undefined;
      clock = await startServerClock(async () => {
        const reply = await hello(client);
        first ??= reply;
        return reply.localTime;
      }, { refreshMs: options.clockRefreshMs, logger });
      const deployment = deploymentOf(first!, redactedUri);
      readiness.connected();
      logger.info('connected to MongoDB', { uri: redactedUri, attempt, deployment });
      const serverClock = clock;
      return {
        client,
        redactedUri,
        deployment,
        ready: () => readiness.ready(),
        now: () => serverClock.now(),
        async close() {
          serverClock.stop();
          readiness.closing();
          await client.close();
        },
      };
    } catch (error) {
      clock?.stop();
      readiness.closing();
      await client.close().catch(() => undefined);
      if (!isConnectivityError(error) || attempt >= settings.maxAttempts) throw error;
      logger.warn('MongoDB is out of reach; retrying', { uri: redactedUri, attempt, retryInMs: delay, error: (error as Error).message });
      await sleep(delay);
      delay = Math.min(delay * 2, settings.maxDelayMs);
    }
  }
}

/** The primary's `hello` reply (a command's default read preference is primary). */
const hello = (client: mongo.MongoClient) => client.db('admin').command({ hello: 1 }) as Promise<HelloReply>;

/** The oldest MongoDB whose storage rules accept what Roster stores (see MongoConnection). */
const MINIMUM_SERVER_MAJOR = 5;

async function requireServerVersion(client: mongo.MongoClient): Promise<void> {
  const { version } = await client.db('admin').command({ buildInfo: 1 });
  const major = Number.parseInt(String(version), 10);
  if (Number.isFinite(major) && major < MINIMUM_SERVER_MAJOR) {
    throw new Error(`MongoDB ${String(version)} is too old for Roster: use MongoDB ${MINIMUM_SERVER_MAJOR}.0 or later`);
  }
}
