import type { UsernameFormat } from '../../config/config';

/** RFC 5321 §4.5.3.1: a mailbox is at most 254 characters, its local part at most 64. */
const MAX_ADDRESS = 254;
const MAX_LOCAL_PART = 64;

// The local part: letters and digits of any script and the dot-atom symbols of RFC 5322 §3.2.3,
// as dot-separated atoms. Quoted local parts ("a b"@x) are left out: no identity provider
// sends them as a user name, and they are the ones that confuse mail systems.
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
// The domain: at least two DNS labels (internationalised ones included), each 1–63 characters
// of letters, digits and inner hyphens. `user@localhost` is no address a directory would hold.
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/** Whether `value` reads as an email address (`ada@example.com`), the way seeds 002 and 004 use it as a username. */
export function isEmailAddress(value: string): boolean {
  if ([...value].length > MAX_ADDRESS) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  return [...local].length <= MAX_LOCAL_PART && LOCAL_PART.test(local) && labels.length >= 2 && labels.every((label) => LABEL.test(label));
}

/** Whether a userName has the format the tenant asks for. */
export const fitsUsernameFormat = (userName: string, format: UsernameFormat): boolean =>
  format === 'any' || isEmailAddress(userName);
