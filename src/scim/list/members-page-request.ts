import { invalidValue } from '../errors';

/**
 * Roster's extension for paging one group's members (README, Large groups): on a GET of one
 * group (and the 200 answer of a write), `membersStartIndex` (1-based, like startIndex) and
 * `membersCount` (like count) select a slice of `members`, served with the member total. Either
 * one alone pages: startIndex 1, or at most the largest page size. Neither: every member.
 */
export interface MembersPaging {
  /** 1-based index of the first member of the slice. */
  readonly startIndex: number;
  readonly count: number;
}

export const MEMBERS_START_INDEX = 'membersStartIndex';
export const MEMBERS_COUNT = 'membersCount';

/** The one value of a parameter, its name compared without regard to case (as attributes is). */
function single(query: URLSearchParams, name: string): string | undefined {
  const values = [...query.entries()].filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
  if (values.length > 1) throw invalidValue(`${name} was given ${values.length} times; give it once`);
  return values[0];
}

function wholeNumber(name: string, text: string, least: number): number {
  const value = /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < least) throw invalidValue(`${name} must be a whole number of at least ${least}, not ${JSON.stringify(text)}`);
  return value;
}

/**
 * The member slice a request asks for, or undefined for all members. Unlike startIndex and
 * count of a list, out-of-range values are refused rather than clamped (these are new, so no
 * client depends on clamping), except a count above `maxPageSize`, which is cut to it.
 */
export function parseMembersPaging(query: URLSearchParams, maxPageSize: number): MembersPaging | undefined {
  const startIndex = single(query, MEMBERS_START_INDEX);
  const count = single(query, MEMBERS_COUNT);
  if (startIndex === undefined && count === undefined) return undefined;
  return {
    startIndex: startIndex === undefined ? 1 : wholeNumber(MEMBERS_START_INDEX, startIndex, 1),
    count: count === undefined ? maxPageSize : Math.min(maxPageSize, wholeNumber(MEMBERS_COUNT, count, 0)),
  };
}
