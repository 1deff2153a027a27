/**
 * Roster's whole configuration: one documented schema of environment variables with defaults,
 * validated once at start-up and frozen. A bad value stops start-up with one line naming the
 * variable and what is allowed (ConfigError).
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'silent';

export interface Config {
  readonly port: number;
  readonly basePath: string;
  readonly sqlitePath: string;
  readonly mongodbUri: string | undefined;
  readonly bootstrapToken: string | undefined;
  readonly logLevel: LogLevel;
  readonly maxBodyBytes: number;
  readonly maxPageSize: number;
  readonly trustProxy: boolean;
  readonly maxRoles: number;
  readonly usernameImmutable: boolean;
  /** Days a soft-deleted user is kept before it is erased; undefined: kept for ever. */
  readonly retentionDeletedDays: number | undefined;
  /** Days an Inactive user is kept before it is soft-deleted; undefined: never. */
  readonly retentionInactiveDays: number | undefined;
  /** Most operations one POST /Bulk may hold (maxOperations in /ServiceProviderConfig). */
  readonly bulkMaxOperations: number;
  /** Largest POST /Bulk body in bytes (maxPayloadSize); MAX_BODY_BYTES applies first. */
  readonly bulkMaxPayloadBytes: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

interface Setting<T> {
  readonly variable: string;
  readonly doc: string;
  readonly fallback: T;
  readonly parse: (raw: string, variable: string) => T;
}

const integer = (min: number, max: number) => (raw: string, variable: string): number => {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: use a whole number from ${min} to ${max}.`);
  }
  return value;
};

const oneOf = <T extends string>(allowed: readonly T[]) => (raw: string, variable: string): T => {
  const value = raw.trim().toLowerCase() as T;
  if (!allowed.includes(value)) {
    throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: use one of ${allowed.join(', ')}.`);
  }
  return value;
};

const boolean = (raw: string, variable: string): boolean => {
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no', ''].includes(value)) return false;
  throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: use true or false.`);
};

const daysOrOff = (raw: string, variable: string): number | undefined => {
  if (['off', '0', ''].includes(raw.trim().toLowerCase())) return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) > 36500) {
    throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: use a number of days from 1 to 36500, or off.`);
  }
  return Number(raw);
};

const basePath = (raw: string, variable: string): string => {
  const value = raw.trim().replace(/\/+$/, '');
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(value)) {
    throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: use a URL path such as /scim/v2.`);
  }
  return value;
};

const nonEmpty = (raw: string, variable: string): string => {
  if (raw.trim() === '') throw new ConfigError(`${variable} is set but empty: unset it or give it a value.`);
  return raw.trim();
};

const mongoUri = (raw: string, variable: string): string => {
  const value = nonEmpty(raw, variable);
  if (!/^mongodb(\+srv)?:\/\//.test(value)) {
    throw new ConfigError(`${variable} is not allowed: use a connection string starting mongodb:// or mongodb+srv://.`);
  }
  return value;
};

const bootstrapToken = (raw: string, variable: string): string => {
  const value = nonEmpty(raw, variable);
  if (value.length < 32) {
    throw new ConfigError(`${variable} is too short: use at least 32 characters (for example: openssl rand -base64 32).`);
  }
  return value;
};

/** The schema: every variable Roster reads, its default and its rule. The README documents the same table. */
export const settings = {
  port: { variable: 'PORT', doc: 'HTTP port', fallback: 3000, parse: integer(0, 65535) },
  basePath: { variable: 'SCIM_BASE_PATH', doc: 'URL path SCIM is served under', fallback: '/scim/v2', parse: basePath },
  sqlitePath: { variable: 'SQLITE_PATH', doc: 'embedded store file', fallback: './data/roster.db', parse: nonEmpty },
  mongodbUri: { variable: 'MONGODB_URI', doc: 'selects the MongoDB store', fallback: undefined, parse: mongoUri },
  bootstrapToken: { variable: 'SCIM_BOOTSTRAP_TOKEN', doc: 'accepted as a full-access service token', fallback: undefined, parse: bootstrapToken },
  logLevel: { variable: 'LOG_LEVEL', doc: 'error, warn, info, debug or silent', fallback: 'info', parse: oneOf<LogLevel>(['error', 'warn', 'info', 'debug', 'silent']) },
  maxBodyBytes: { variable: 'MAX_BODY_BYTES', doc: 'largest request body', fallback: 5 * 1024 * 1024, parse: integer(1024, 1024 * 1024 * 1024) },
  maxPageSize: { variable: 'MAX_PAGE_SIZE', doc: 'largest page a list returns', fallback: 1000, parse: integer(1, 100000) },
  trustProxy: { variable: 'TRUST_PROXY', doc: 'build URLs from X-Forwarded-Proto/Host', fallback: false, parse: boolean },
  maxRoles: { variable: 'MAX_ROLES', doc: 'most roles one account may have', fallback: 25, parse: integer(0, 1000) },
  usernameImmutable: { variable: 'USERNAME_IMMUTABLE', doc: 'refuse changes to userName', fallback: false, parse: boolean },
  retentionDeletedDays: { variable: 'RETENTION_DELETED_DAYS', doc: 'days before soft-deleted users are erased (or off)', fallback: 30, parse: daysOrOff },
  retentionInactiveDays: { variable: 'RETENTION_INACTIVE_DAYS', doc: 'days before Inactive users are soft-deleted (or off)', fallback: undefined, parse: daysOrOff },
  bulkMaxOperations: { variable: 'BULK_MAX_OPERATIONS', doc: 'most operations in one POST /Bulk', fallback: 1000, parse: integer(1, 100000) },
  bulkMaxPayloadBytes: { variable: 'BULK_MAX_PAYLOAD_BYTES', doc: 'largest POST /Bulk body in bytes', fallback: 1024 * 1024, parse: integer(1024, 1024 * 1024 * 1024) },
} satisfies { [K in keyof Config]: Setting<Config[K]> };

function read<T>(setting: Setting<T>, env: Env): T {
  const raw = env[setting.variable];
  return raw === undefined ? setting.fallback : setting.parse(raw, setting.variable);
}

/** Reads and validates the environment; throws ConfigError on the first bad value. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const config = {
    port: read(settings.port, env),
    basePath: read(settings.basePath, env),
    sqlitePath: read(settings.sqlitePath, env),
    mongodbUri: read(settings.mongodbUri, env),
    bootstrapToken: read(settings.bootstrapToken, env),
    logLevel: read(settings.logLevel, env),
    maxBodyBytes: read(settings.maxBodyBytes, env),
    maxPageSize: read(settings.maxPageSize, env),
    trustProxy: read(settings.trustProxy, env),
    maxRoles: read(settings.maxRoles, env),
    usernameImmutable: read(settings.usernameImmutable, env),
    retentionDeletedDays: read(settings.retentionDeletedDays, env),
    retentionInactiveDays: read(settings.retentionInactiveDays, env),
    bulkMaxOperations: read(settings.bulkMaxOperations, env),
    bulkMaxPayloadBytes: read(settings.bulkMaxPayloadBytes, env),
    ...overrides,
  };
  return Object.freeze(config);
}
