import fc from 'fast-check';
import { encodeCursor } from '../../../src/scim/list/cursor';
import type { Exchange } from '../support/property-app';
import { anyCase, attributePath, malformedPath, type ResourceKind } from './attribute-paths';
import { anyFilter } from './filters';
import { jsonShape } from './json';

/**
 * List and search requests (RFC 7644 §3.4.2, §3.4.3, RFC 9865): GET /Users, GET /Groups,
 * POST /Users/.search, /Groups/.search and /.search, with any subset of the eight parameters,
 * each well-formed or not. A GET carries them in the query (names in any case); a search in its
 * body, where they may also be JSON of the wrong type.
 */
const SEARCH_URN = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

type ListTarget = 'Users' | 'Groups' | 'root';

const integerText = fc.oneof(
  { arbitrary: fc.integer({ min: -3, max: 12 }).map(String), weight: 4 },
  { arbitrary: fc.constantFrom('0', '-1', '1.5', 'abc', '', '99999999999999999999', ' 3 ', '1e3', '0x10', '+2', '１'), weight: 1 },
);

const nameList = (kind: ResourceKind) =>
  fc.array(fc.oneof({ arbitrary: attributePath(kind), weight: 4 }, { arbitrary: malformedPath, weight: 1 }), { minLength: 1, maxLength: 4 });

const cursorText = fc.oneof(
  { arbitrary: fc.constant(''), weight: 3 },
  { arbitrary: fc.base64String({ maxLength: 40 }).map((s) => s.replace(/=+$/, '')), weight: 1 },
  { arbitrary: fc.string({ maxLength: 10 }), weight: 1 },
);

/** The parameters of one list request, as text (what a GET can carry). */
const textParameters = (kind: ResourceKind) =>
  fc.record(
    {
      filter: anyFilter(kind),
      sortBy: fc.oneof({ arbitrary: attributePath(kind), weight: 4 }, { arbitrary: malformedPath, weight: 1 }),
      sortOrder: fc.constantFrom('ascending', 'descending', 'Ascending', 'DESCENDING', 'asc', '', 'up'),
      startIndex: integerText,
      count: integerText,
      attributes: nameList(kind).map((names) => names.join(',')),
      excludedAttributes: nameList(kind).map((names) => names.join(',')),
      cursor: cursorText,
    },
    { requiredKeys: [] },
  );

/** In a search body any parameter may also be a number, an array of names, or any JSON at all. */
const bodyParameters = (kind: ResourceKind) =>
  fc.tuple(
    textParameters(kind),
    fc.record({ startIndex: fc.integer({ min: -2, max: 12 }), count: fc.integer({ min: -2, max: 12 }), attributes: nameList(kind) }, { requiredKeys: [] }),
    fc.dictionary(fc.constantFrom('filter', 'sortBy', 'sortOrder', 'startIndex', 'count', 'attributes', 'excludedAttributes', 'cursor'), jsonShape, { maxKeys: 1 }),
  ).map(([text, typed, odd]) => ({ ...text, ...typed, ...odd }));

/** Edits and graphemes can split a surrogate pair; a URL cannot carry the half (a search body can). */
const isWellFormed = (text: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
const percentEncode = (text: string) => encodeURIComponent(isWellFormed(text) ? text : text.replace(/[\ud800-\udfff]/g, '\ufffd'));

const query = (parameters: Record<string, string>, names: readonly string[]) =>
  Object.entries(parameters).map(([key, value], i) => `${percentEncode(names[i] ?? key)}=${percentEncode(value)}`).join('&');

/** A GET list request; parameter names in any case. */
const getList = (target: 'Users' | 'Groups') =>
  textParameters(target === 'Users' ? 'User' : 'Group').chain((parameters) =>
    fc.tuple(...Object.keys(parameters).map(anyCase)).map((names): Exchange => ({
      method: 'GET',
      path: `/${target}?${query(parameters, names)}`,
    })));

const search = (target: ListTarget) =>
  (target === 'root' ? fc.constantFrom<ResourceKind>('User', 'Group') : fc.constant<ResourceKind>(target === 'Users' ? 'User' : 'Group'))
    .chain(bodyParameters)
    .map((parameters): Exchange => ({
      method: 'POST',
      path: target === 'root' ? '/.search' : `/${target}/.search`,
      body: { schemas: [SEARCH_URN], ...parameters },
    }));

/** Any list request to any list endpoint. */
export const listRequest: fc.Arbitrary<Exchange> = fc.oneof(getList('Users'), getList('Groups'), search('Users'), search('Groups'), search('root'));

/**
 * A request with only a filter, so a filter property sees the filter's own answer. `get: false`
 * keeps to searches: a filter of many KB in a URL meets Node's 16 KB header limit (431) first.
 */
export const filterRequest = (filter: (kind: ResourceKind) => fc.Arbitrary<string>, { get = true } = {}): fc.Arbitrary<Exchange> =>
  fc.constantFrom<ListTarget>('Users', 'Groups', 'root').chain((target) => {
    const kind: ResourceKind = target === 'Groups' ? 'Group' : 'User';
    return fc.tuple(filter(kind), fc.boolean().map((b) => b && get)).map(([text, viaGet]): Exchange => {
      if (viaGet && target !== 'root' && isWellFormed(text)) return { method: 'GET', path: `/${target}?filter=${encodeURIComponent(text)}` };
      return { method: 'POST', path: target === 'root' ? '/.search' : `/${target}/.search`, body: { schemas: [SEARCH_URN], filter: text } };
    });
  });

/** Positions a client could forge into a cursor with a valid check: keys of any type and number. */
export const forgedPosition = fc.array(
  fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
  { minLength: 1, maxLength: 8 },
);

/** A cursor for the same query as `cursor` (same fingerprint, valid check) but at a forged position. */
export function forgeCursor(cursor: string, position: readonly (string | number | boolean | null)[]): string {
  const { q } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { q: string };
  return encodeCursor(q, position);
}
