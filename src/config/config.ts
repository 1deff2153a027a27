import { basePath, boolean, consolePath, bootstrapToken, countOrOff, daysOrOff, host, integer, mongoUri, nonEmpty, oneOf, proxyHops, publicUrl, seconds, setOf, type Setting } from './parsers';

import { ConfigError } from './parsers';

export { ConfigError };

/**
 * Roster's whole configuration: one documented schema of environment variables with defaults,
 * validated once at start-up and frozen. A bad value stops start-up with one line naming the
 * variable and what is allowed (ConfigError).
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'silent';

/** The read concerns Roster can be run with; each needs a replica set (or a sharded cluster). */
export type MongoReadConcern = 'majority' | 'local' | 'linearizable';

/** The user attributes a tenant may require beside userName (which is always required). */
export const REQUIRABLE_USER_ATTRIBUTES = ['name.givenName', 'name.familyName', 'emails'] as const;
export type RequirableUserAttribute = (typeof REQUIRABLE_USER_ATTRIBUTES)[number];

/** any: a userName is any string; email: it must be an email address (seeds 002, 004). */
export type UsernameFormat = 'any' | 'email';

export interface Config {
  readonly port: number;
  readonly basePath: string;
  readonly sqlitePath: string;
  readonly mongodbUri: string | undefined;
  /** Read concern of every MongoDB read outside transactions (those read a snapshot). */
  readonly mongodbReadConcern: MongoReadConcern;
  /** How long a majority write waits for a majority of the replica set (wtimeout) before failing with 503. */
  readonly mongodbWriteTimeoutMs: number;
  /** Server-side time limit of every MongoDB operation (maxTimeMS) and of a transaction's commit. */
  readonly mongodbTimeoutMs: number;
  readonly bootstrapToken: string | undefined;
  readonly logLevel: LogLevel;
  readonly maxBodyBytes: number;
  readonly maxPageSize: number;
  /** Reverse proxies in front of Roster whose X-Forwarded-* headers are believed (0: none). */
  readonly trustProxy: number;
  readonly maxRoles: number;
  readonly usernameImmutable: boolean;
  /** The attributes every user must have beside userName (a tenant may set its own). */
  readonly requiredUserAttributes: readonly RequirableUserAttribute[];
  /** What a userName must look like (a tenant may set its own). */
  readonly usernameFormat: UsernameFormat;
  /** Lifetime of an OAuth access token issued by POST /oauth/token. */
  readonly oauthTokenTtlMs: number;
  /** A secret that may read GET /metrics beside operator tokens; undefined: operator tokens only. */
  readonly metricsToken: string | undefined;
  /** Days a soft-deleted user is kept before it is erased; undefined: kept for ever. */
  readonly retentionDeletedDays: number | undefined;
  /** Days an Inactive user is kept before it is soft-deleted; undefined: never. */
  readonly retentionInactiveDays: number | undefined;
  /** Most operations one POST /Bulk may hold (maxOperations in /ServiceProviderConfig). */
  readonly bulkMaxOperations: number;
  /** Largest POST /Bulk body in bytes (maxPayloadSize); MAX_BODY_BYTES applies first. */
  readonly bulkMaxPayloadBytes: number;
  /** Interface the server binds (HOST). */
  readonly host: string;
  /** The public URL every written URL starts with (Location, meta.location, $ref); undefined: from the request. */
  readonly publicUrl: string | undefined;
  /** How long a stopping server waits for in-flight requests before closing their connections. */
  readonly shutdownTimeoutMs: number;
  /** Most time a client may take to send a whole request, headers and body (server.requestTimeout). */
  readonly requestTimeoutMs: number;
  /** Most time a client may take to send the request headers (server.headersTimeout). */
  readonly headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open (server.keepAliveTimeout). */
  readonly keepAliveTimeoutMs: number;
  /** Most values one multi-valued attribute of a user may hold (group members are exempt). */
  readonly maxMultiValues: number;
  /** Longest string attribute value, in characters. */
  readonly maxStringLength: number;
  /** Longest userName and displayName, in characters. */
  readonly maxNameLength: number;
  /** Most operations one PATCH request may hold. */
  readonly maxPatchOperations: number;
  /** Most comparisons (attribute tests) one filter may hold. */
  readonly maxFilterTerms: number;
  /** Requests per second one token may make (bursts of 5×); undefined: no limit. */
  readonly rateLimitPerToken: number | undefined;
  /** Failed authentications per minute one client address may make; undefined: no limit. */
  readonly rateLimitAuthFailures: number | undefined;
  /** Days change events are kept (the retention sweep erases older ones); undefined: for ever. */
  readonly eventsRetentionDays: number | undefined;
  /** Whether webhooks may be http and reach private, loopback and link-local addresses (tests, on-premises). */
  readonly webhookAllowPrivate: boolean;
  /** How long one delivery may take, connecting included, before it counts as failed. */
  readonly webhookTimeoutMs: number;
  /** How long a delivery is retried after it was queued before it is marked failed. */
  readonly webhookRetryWindowMs: number;
  /** Failed events in a row after which a webhook is disabled. */
  readonly webhookDisableAfter: number;
  /** Whether the admin console is served (CONSOLE_ENABLED). */
  readonly consoleEnabled: boolean;
  /** The URL path of the admin console. */
  readonly consolePath: string;
}

/** The schema: every variable Roster reads, its default and its rule. The README documents the same table. */
export const settings = {
  port: { variable: 'PORT', doc: 'HTTP port', fallback: 3000, parse: integer(0, 65535) },
  basePath: { variable: 'SCIM_BASE_PATH', doc: 'URL path SCIM is served under', fallback: '/scim/v2', parse: basePath },
  sqlitePath: { variable: 'SQLITE_PATH', doc: 'embedded store file', fallback: './data/roster.db', parse: nonEmpty },
  mongodbUri: { variable: 'MONGODB_URI', doc: 'selects the MongoDB store', fallback: undefined, parse: mongoUri },
  mongodbReadConcern: { variable: 'MONGODB_READ_CONCERN', doc: 'majority, local or linearizable', fallback: 'majority', parse: oneOf<MongoReadConcern>(['majority', 'local', 'linearizable']) },
  mongodbWriteTimeoutMs: { variable: 'MONGODB_WRITE_TIMEOUT', doc: 'wait for a majority to acknowledge a write', fallback: 10_000, parse: seconds(1, 600) },
  mongodbTimeoutMs: { variable: 'MONGODB_TIMEOUT', doc: 'server-side time limit of each MongoDB operation', fallback: 10_000, parse: seconds(1, 600) },
  bootstrapToken: { variable: 'SCIM_BOOTSTRAP_TOKEN', doc: 'accepted as an operator token: manages tenants and may act in every tenant', fallback: undefined, parse: bootstrapToken },
  logLevel: { variable: 'LOG_LEVEL', doc: 'error, warn, info, debug or silent', fallback: 'info', parse: oneOf<LogLevel>(['error', 'warn', 'info', 'debug', 'silent']) },
  maxBodyBytes: { variable: 'MAX_BODY_BYTES', doc: 'largest request body', fallback: 1024 * 1024, parse: integer(1024, 1024 * 1024 * 1024) },
  maxPageSize: { variable: 'MAX_PAGE_SIZE', doc: 'largest page a list returns', fallback: 1000, parse: integer(1, 100000) },
  trustProxy: { variable: 'TRUST_PROXY', doc: 'proxies whose X-Forwarded-* headers are believed', fallback: 0, parse: proxyHops },
  maxRoles: { variable: 'MAX_ROLES', doc: 'most roles one account may have', fallback: 25, parse: integer(0, 1000) },
  usernameImmutable: { variable: 'USERNAME_IMMUTABLE', doc: 'refuse changes to userName', fallback: false, parse: boolean },
  requiredUserAttributes: { variable: 'REQUIRED_USER_ATTRIBUTES', doc: 'attributes every user must have beside userName (comma-separated, or none)', fallback: REQUIRABLE_USER_ATTRIBUTES, parse: setOf(REQUIRABLE_USER_ATTRIBUTES) },
  usernameFormat: { variable: 'USERNAME_FORMAT', doc: 'any, or email: a userName must be an email address', fallback: 'any', parse: oneOf<UsernameFormat>(['any', 'email']) },
  oauthTokenTtlMs: { variable: 'OAUTH_TOKEN_TTL', doc: 'lifetime of OAuth access tokens (60m to 6h)', fallback: 3_600_000, parse: seconds(3600, 21_600) },
  metricsToken: { variable: 'METRICS_TOKEN', doc: 'a secret that may read GET /metrics (operator tokens always may)', fallback: undefined, parse: bootstrapToken },
  retentionDeletedDays: { variable: 'RETENTION_DELETED_DAYS', doc: 'days before soft-deleted users are erased (or off)', fallback: 30, parse: daysOrOff },
  retentionInactiveDays: { variable: 'RETENTION_INACTIVE_DAYS', doc: 'days before Inactive users are soft-deleted (or off)', fallback: undefined, parse: daysOrOff },
  bulkMaxOperations: { variable: 'BULK_MAX_OPERATIONS', doc: 'most operations in one POST /Bulk', fallback: 1000, parse: integer(1, 100000) },
  bulkMaxPayloadBytes: { variable: 'BULK_MAX_PAYLOAD_BYTES', doc: 'largest POST /Bulk body in bytes', fallback: 1024 * 1024, parse: integer(1024, 1024 * 1024 * 1024) },
  host: { variable: 'HOST', doc: 'interface to bind', fallback: '0.0.0.0', parse: host },
  publicUrl: { variable: 'PUBLIC_URL', doc: 'the URL every written URL starts with', fallback: undefined, parse: publicUrl },
  shutdownTimeoutMs: { variable: 'SHUTDOWN_TIMEOUT', doc: 'wait for in-flight requests on SIGTERM', fallback: 10_000, parse: seconds(0, 600) },
  requestTimeoutMs: { variable: 'REQUEST_TIMEOUT', doc: 'most time to receive a whole request', fallback: 30_000, parse: seconds(1, 3600) },
  headersTimeoutMs: { variable: 'HEADERS_TIMEOUT', doc: 'most time to receive the request headers', fallback: 10_000, parse: seconds(1, 3600) },
  keepAliveTimeoutMs: { variable: 'KEEP_ALIVE_TIMEOUT', doc: 'idle keep-alive connection lifetime', fallback: 5_000, parse: seconds(1, 3600) },
  maxMultiValues: { variable: 'MAX_MULTI_VALUES', doc: 'most values of one multi-valued user attribute', fallback: 100, parse: integer(1, 100000) },
  maxStringLength: { variable: 'MAX_STRING_LENGTH', doc: 'longest string attribute value', fallback: 2048, parse: integer(16, 1_000_000) },
  maxNameLength: { variable: 'MAX_NAME_LENGTH', doc: 'longest userName and displayName', fallback: 256, parse: integer(16, 1_000_000) },
  maxPatchOperations: { variable: 'MAX_PATCH_OPERATIONS', doc: 'most operations in one PATCH', fallback: 1000, parse: integer(1, 100000) },
  maxFilterTerms: { variable: 'MAX_FILTER_TERMS', doc: 'most comparisons in one filter', fallback: 100, parse: integer(1, 10000) },
  rateLimitPerToken: { variable: 'RATE_LIMIT_PER_TOKEN', doc: 'requests per second per token (or off)', fallback: 100, parse: countOrOff(1, 1_000_000, 'requests per second') },
  rateLimitAuthFailures: { variable: 'RATE_LIMIT_AUTH_FAILURES', doc: 'failed authentications per minute per client address (or off)', fallback: 20, parse: countOrOff(1, 1_000_000, 'failures per minute') },
  eventsRetentionDays: { variable: 'EVENTS_RETENTION_DAYS', doc: 'days change events are kept (or off)', fallback: 90, parse: daysOrOff },
  webhookAllowPrivate: { variable: 'WEBHOOK_ALLOW_PRIVATE', doc: 'allow http webhooks and private, loopback and link-local addresses', fallback: false, parse: boolean },
  webhookTimeoutMs: { variable: 'WEBHOOK_TIMEOUT', doc: 'most time one webhook delivery may take', fallback: 10_000, parse: seconds(1, 60) },
  webhookRetryWindowMs: { variable: 'WEBHOOK_RETRY_WINDOW', doc: 'how long a failing delivery is retried', fallback: 86_400_000, parse: seconds(60, 7 * 86_400) },
  webhookDisableAfter: { variable: 'WEBHOOK_DISABLE_AFTER', doc: 'failed events in a row that disable a webhook', fallback: 10, parse: integer(1, 10_000) },
  consoleEnabled: { variable: 'CONSOLE_ENABLED', doc: 'serve the admin console', fallback: true, parse: boolean },
  consolePath: { variable: 'CONSOLE_PATH', doc: 'URL path of the admin console', fallback: '/console', parse: consolePath },
} satisfies { [K in keyof Config]: Setting<Config[K]> };

type Env = Readonly<Record<string, string | undefined>>;

function read<T>(setting: Setting<T>, env: Env): T {
  const raw = env[setting.variable];
  return raw === undefined ? setting.fallback : setting.parse(raw, setting.variable);
}

/** Reads and validates the environment; throws ConfigError on the first bad value. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const config = Object.fromEntries(
    Object.entries(settings).map(([key, setting]) => [key, read(setting as Setting<unknown>, env)]),
  ) as unknown as Config;
  const merged = { ...config, ...overrides };
  checkConsolePath(merged.consolePath, merged.basePath);
  return Object.freeze(merged);
}

/** The console may not sit on or under SCIM_BASE_PATH (nor the other way round): one path, one owner. */
function checkConsolePath(path: string, scimPath: string): void {
  const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`);
  if (overlaps(path, scimPath) || overlaps(scimPath, path)) {
    throw new ConfigError(`CONSOLE_PATH=${path} overlaps SCIM_BASE_PATH=${scimPath}: give the console a path of its own, such as /console.`);
  }
}
