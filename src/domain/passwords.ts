import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { invalidValue } from '../scim/errors';

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
