import { REQUIRABLE_USER_ATTRIBUTES } from '../config/config';
import { invalidValue } from '../scim/errors';
import { DEFAULT_TENANT_ID, type TenantSettings } from '../store/port';
import type { AccountPolicy } from './account/account-rules';

export { DEFAULT_TENANT_ID };

/**
 * Tenant ids are DNS labels: lowercase letters, digits and '-', 1 to 63 characters, starting and
 * ending with a letter or digit (so an id fits a subdomain, and never reads as a CLI flag).
 */
export const TENANT_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const TENANT_ID_RULE = 'lowercase letters, digits and "-", 1 to 63 characters, starting and ending with a letter or digit';

export const isTenantId = (value: unknown): value is string => typeof value === 'string' && TENANT_ID.test(value);

export const MAX_TENANT_NAME = 256;

/** "There is no tenant …": a well-formed id is named; anything else (up to a 16 kB URL) is not echoed. */
export const noSuchTenant = (id: string): string =>
  isTenantId(id) ? `There is no tenant ${JSON.stringify(id)}` : `There is no tenant with that id (tenant ids are ${TENANT_ID_RULE})`;

/** The account policy and retention one tenant runs under, every setting resolved. */
export interface TenantPolicy extends AccountPolicy {
  /** Days before soft-deleted users are erased; undefined: never. */
  readonly retentionDeletedDays: number | undefined;
  /** Days before Inactive users are soft-deleted; undefined: never. */
  readonly retentionInactiveDays: number | undefined;
}

/** The server's defaults: the environment variables, for every setting a tenant leaves unset. */
export type PolicyDefaults = TenantPolicy;

const days = (value: number | 'off' | undefined, fallback: number | undefined) => value === 'off' ? undefined : value ?? fallback;

/** A tenant's own settings over the server's defaults. */
export function effectivePolicy(settings: TenantSettings, defaults: PolicyDefaults): TenantPolicy {
  return {
    maxRoles: settings.maxRoles ?? defaults.maxRoles,
    usernameImmutable: settings.usernameImmutable ?? defaults.usernameImmutable,
    requiredUserAttributes: settings.requiredUserAttributes ?? defaults.requiredUserAttributes,
    usernameFormat: settings.usernameFormat ?? defaults.usernameFormat,
    retentionDeletedDays: days(settings.retentionDeletedDays, defaults.retentionDeletedDays),
    retentionInactiveDays: days(settings.retentionInactiveDays, defaults.retentionInactiveDays),
  };
}

/** The limits of each setting: the same as their environment variables' (config.ts). */
const MAX_ROLES_LIMIT = 1000;
const MAX_DAYS = 36_500;

type SettingParser = (value: unknown, name: string) => TenantSettings[keyof TenantSettings];

const integerIn = (min: number, max: number, also?: 'off'): SettingParser => (value, name) => {
  if (also !== undefined && value === also) return also;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw invalidValue(`settings.${name} must be a whole number from ${min} to ${max}${also ? ` or "${also}"` : ''}, or null for the server's default`);
};

const PARSERS: Record<keyof TenantSettings, SettingParser> = {
  maxRoles: integerIn(0, MAX_ROLES_LIMIT),
  usernameImmutable: (value, name) => {
    if (typeof value === 'boolean') return value;
    throw invalidValue(`settings.${name} must be true or false, or null for the server's default`);
  },
  requiredUserAttributes: (value, name) => {
    const allowed: readonly string[] = REQUIRABLE_USER_ATTRIBUTES;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string' && allowed.includes(item))) {
      // In one order, each once: the stored setting and the /Schemas it gives do not depend on how it was typed.
      return REQUIRABLE_USER_ATTRIBUTES.filter((attribute) => value.includes(attribute));
    }
    throw invalidValue(`settings.${name} must be a list of ${REQUIRABLE_USER_ATTRIBUTES.map((a) => JSON.stringify(a)).join(', ')} (userName is always required), [] to require none of them, or null for the server's default`);
  },
  usernameFormat: (value, name) => {
    if (value === 'any' || value === 'email') return value;
    throw invalidValue(`settings.${name} must be "any" or "email" (every userName an email address), or null for the server's default`);
  },
  retentionDeletedDays: integerIn(1, MAX_DAYS, 'off'),
  retentionInactiveDays: integerIn(1, MAX_DAYS, 'off'),
};

export const SETTING_NAMES = Object.keys(PARSERS) as readonly (keyof TenantSettings)[];

const isSettingName = (name: string): name is keyof TenantSettings => Object.hasOwn(PARSERS, name);

/**
 * A change of settings as a client sends it, applied to the current ones: each named setting
 * is set, or with null goes back to the server's default; unnamed settings stay as they are.
 */
export function changeSettings(current: TenantSettings, change: unknown): TenantSettings {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) {
    throw invalidValue(`settings must be an object of ${SETTING_NAMES.join(', ')}`);
  }
  const next: Record<string, unknown> = { ...current };
  for (const [name, value] of Object.entries(change)) {
    // Only the settings themselves: `in` would also find toString, constructor, __proto__…
    if (!isSettingName(name)) throw invalidValue(`settings has no ${JSON.stringify(name)}: the settings are ${SETTING_NAMES.join(', ')}`);
    if (value === null) delete next[name];
    else next[name] = PARSERS[name](value, name);
  }
  return next as TenantSettings;
}

export function checkTenantName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_TENANT_NAME) {
    throw invalidValue(`name must be a non-empty string of at most ${MAX_TENANT_NAME} characters`);
  }
  return name.trim();
}
