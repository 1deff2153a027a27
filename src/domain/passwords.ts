import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { forbidden, invalidValue } from '../scim/errors';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const KEY_LENGTH = 64;
/** 000: passwords must be at least eight characters long. */
export const MIN_LENGTH = 8;

/**
 * Passwords are write-only: hashed with scrypt and a per-user random salt, stored as
 * "scrypt$<salt>$<hash>" (base64), never returned and never logged.
 */
export async function hashPassword(password: unknown): Promise<string> {
  if (typeof password !== 'string') throw invalidValue('password must be a string');
  if ([...password].length < MIN_LENGTH) throw invalidValue(`password must be at least ${MIN_LENGTH} characters long`);
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, KEY_LENGTH);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

/** How a self-service client confirms a password change (README, Security). */
const HOW = 'send "currentPassword" beside "password" (in the PATCH value or the PUT body), or POST /Me/password {"currentPassword", "newPassword"}';

/**
 * A user changing their own password proves they know the current one, so a stolen token alone
 * cannot take over the account's password. A user without a password has none to prove: the
 * first one is set by an administrator (a service token, or a SuperAdmin acting on another user),
 * never by a token alone. The given password is only compared (scrypt, constant time), never
 * stored, logged or echoed.
 */
export async function confirmCurrentPassword(given: string | undefined, stored: string | undefined): Promise<void> {
  if (stored === undefined) throw forbidden('Your account has no password yet, so there is no current password to confirm: an administrator sets the first one');
  if (given === undefined) throw invalidValue(`Changing your own password needs your current password: ${HOW}`);
  if (!(await verifyPassword(given, stored))) throw forbidden('The current password is not correct; the password was not changed');
}
