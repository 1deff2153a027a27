/**
 * The value rules of the configuration schema: each parses one environment variable's text or
 * throws a ConfigError whose message names the variable and what is allowed.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface Setting<T> {
  readonly variable: string;
  readonly doc: string;
  readonly fallback: T;
  readonly parse: (raw: string, variable: string) => T;
}

export const integer = (min: number, max: number) => (raw: string, variable: string): number => {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: use a whole number from ${min} to ${max}.`);
  }
  return value;
};

export const oneOf = <T extends string>(allowed: readonly T[]) => (raw: string, variable: string): T => {
  const value = raw.trim().toLowerCase() as T;
  if (!allowed.includes(value)) {
    throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: use one of ${allowed.join(', ')}.`);
  }
  return value;
};

export const boolean = (raw: string, variable: string): boolean => {
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no', ''].includes(value)) return false;
  throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: use true or false.`);
};

/**
 * A whole number from min to max written plainly (no sign, no leading zero, no exponent), or
 * `off`. Strict on purpose: RETENTION_DELETED_DAYS=00 once meant 0 days and erased every deleted
 * user at the first sweep.
 */
export const countOrOff = (min: number, max: number, unit: string) => (raw: string, variable: string): number | undefined => {
  const value = raw.trim();
  if (value.toLowerCase() === 'off') return undefined;
  if (!/^[1-9]\d*$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: use a number of ${unit} from ${min} to ${max}, or off.`);
  }
  return Number(value);
};
export const daysOrOff = countOrOff(1, 36500, 'days');

/** A duration in seconds: "10s", "2m", "24h", or a bare number of seconds; within [min, max] seconds. */
export const seconds = (min: number, max: number) => (raw: string, variable: string): number => {
  const match = /^(\d+)\s*(ms|s|m|h)?$/i.exec(raw.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match?.[2] ?? 's').toLowerCase() as 'ms' | 's' | 'm' | 'h'];
  const ms = match ? Number(match[1]) * unit : NaN;
  if (!(ms >= min * 1000 && ms <= max * 1000)) {
    throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: use a duration from ${min}s to ${max}s, such as 10s or 2m.`);
  }
  return ms;
};

export const host = (raw: string, variable: string): string => {
  const value = nonEmpty(raw, variable);
  if (!/^[A-Za-z0-9.:-]+$/.test(value)) {
    throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: use an IP address such as 0.0.0.0, ::, 127.0.0.1, or a host name.`);
  }
  return value;
};

/** https://scim.example.com or https://example.com/prefix: an origin and optional path, no query or fragment. */
export const publicUrl = (raw: string, variable: string): string => {
  const value = nonEmpty(raw, variable).replace(/\/+$/, '');
  let url: URL | undefined;
  try { url = new URL(value); } catch { url = undefined; }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username || url.password || raw.includes('?') || raw.includes('#')) {
    throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: use the URL clients reach Roster at, such as https://scim.example.com (no query, fragment or credentials).`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
};

export const basePath = (raw: string, variable: string): string => {
  const value = raw.trim().replace(/\/+$/, '');
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(value)) {
    throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: use a URL path such as /scim/v2.`);
  }
  return value;
};

/** Paths the server itself owns, which the console may not take. */
const RESERVED_PATHS = ['/admin', '/oauth', '/healthz', '/readyz', '/metrics'];

export const consolePath = (raw: string, variable: string): string => {
  const value = basePath(raw, variable);
  const taken = RESERVED_PATHS.find((path) => value === path || value.startsWith(`${path}/`));
  if (taken) throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: ${taken} is the server's own; use a path such as /console.`);
  return value;
};

export const nonEmpty = (raw: string, variable: string): string => {
  if (raw.trim() === '') throw new ConfigError(`${variable} is set but empty: unset it or give it a value.`);
  return raw.trim();
};

export const mongoUri = (raw: string, variable: string): string => {
  const value = nonEmpty(raw, variable);
  if (!/^mongodb(\+srv)?:\/\//.test(value)) {
    throw new ConfigError(`${variable} is not allowed: use a connection string starting mongodb:// or mongodb+srv://.`);
  }
  return value;
};

/**
 * A comma-separated set drawn from `allowed` (compared exactly, spaces around commas ignored),
 * or `none` for the empty set. Returned in `allowed`'s order, each once.
 */
export const setOf = <T extends string>(allowed: readonly T[]) => (raw: string, variable: string): readonly T[] => {
  const value = raw.trim();
  if (value.toLowerCase() === 'none') return [];
  const given = value.split(',').map((part) => part.trim());
  const unknown = given.filter((part) => !(allowed as readonly string[]).includes(part));
  if (value === '' || unknown.length > 0) {
    throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: use a comma-separated list of ${allowed.join(', ')}, or none.`);
  }
  return allowed.filter((name) => given.includes(name));
};

export const bootstrapToken = (raw: string, variable: string): string => {
  const value = nonEmpty(raw, variable);
  if (value.length < 32) {
    throw new ConfigError(`${variable} is too short: use at least 32 characters (for example: openssl rand -base64 32).`);
  }
  return value;
};


/**
 * TRUST_PROXY: how many reverse proxies stand in front of Roster. `true` is one (the usual TLS
 * proxy), `false` none. Express then takes the client address from that many hops of
 * X-Forwarded-For, counted from the right: trusting every hop (Express's `true`) would let a
 * client write its own address at the left and dodge the per-address limits.
 */
export const proxyHops = (raw: string, variable: string): number => {
  const value = raw.trim().toLowerCase();
  if (/^\d{1,2}$/.test(value) && Number(value) <= 10) return Number(value);
  try {
    return boolean(raw, variable) ? 1 : 0;
  } catch {
    throw new ConfigError(`${variable}=${JSON.stringify(raw)} is not allowed: use true (one proxy), false, or the number of proxies in front of Roster (0 to 10).`);
  }
};
