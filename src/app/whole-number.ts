import { invalidValue } from '../scim/errors';

/**
 * A whole-number parameter of the admin API (a query string, a CLI option, a path segment):
 * undefined when not given; otherwise digits only, a safe integer, at least `min`, else 400.
 */
export function wholeNumber(text: string | undefined, name: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) throw invalidValue(`${name} must be a whole number of at least ${min}`);
  return value;
}
