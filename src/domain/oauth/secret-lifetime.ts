import { invalidValue } from '../../scim/errors';
import type { ClientSecretRecord } from '../../store/port';

const DAY_MS = 86_400_000;

/**
 * Client secrets always expire: Entra ID's gallery asks for one to three years. A year unless
 * the admin says otherwise, so a forgotten secret does not live for ever.
 */
export const SECRET_DAYS = { fallback: 365, min: 1, max: 1095 } as const;

/** `name` in a request body (the admin API) or option (the CLI): a whole number of days, 1 to 1095. */
export function secretDays(value: unknown, name: string): number {
  if (value === undefined || value === null) return SECRET_DAYS.fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < SECRET_DAYS.min || value > SECRET_DAYS.max) {
    throw invalidValue(`${name} must be a whole number of days from ${SECRET_DAYS.min} to ${SECRET_DAYS.max} (three years); without it a secret lasts ${SECRET_DAYS.fallback} days`);
  }
  return value;
}

export const secretExpiry = (created: Date, days: number): string => new Date(created.getTime() + days * DAY_MS).toISOString();

export type SecretState = 'active' | 'expired' | 'revoked';

/** Revoked wins over expired: it is what someone did, not what the calendar did. */
export function secretState(secret: Pick<ClientSecretRecord, 'expires' | 'revoked'>, now: Date): SecretState {
  if (secret.revoked !== undefined) return 'revoked';
  return Date.parse(secret.expires) <= now.getTime() ? 'expired' : 'active';
}

/**
 * How long an access token issued now lives, in whole seconds (the `expires_in` the client is
 * told): the configured lifetime, but never past the secret it was issued with, so an expired
 * secret leaves no token behind. 0 means the secret is as good as expired.
 */
export function accessTokenSeconds(now: Date, ttlMs: number, secretExpires: string): number {
  const left = Date.parse(secretExpires) - now.getTime();
  return Math.max(0, Math.floor(Math.min(ttlMs, left) / 1000));
}
