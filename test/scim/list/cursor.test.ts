import { ScimError } from '../../../src/scim/errors';
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH, queryFingerprint } from '../../../src/scim/list/cursor';
import { listParametersFromBody, listParametersFromQuery, parseListRequest } from '../../../src/scim/list/list-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';

const registry = loadSchemaRegistry();
const sortOf = (sortBy: string, sortOrder = 'ascending') => parseListRequest(registry.user, { sortBy, sortOrder }, 100).sort;

/** The RFC 9865 scimType a call fails with (400), or the value it returns. */
function refusal(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    expect(error.status).toBe(400);
    expect(error.detail.length).toBeGreaterThan(20);
    return error.scimType;
  }
  return undefined;
}

/** A cursor document written by hand, as a forger would. */
const forge = (document: unknown) => Buffer.from(JSON.stringify(document)).toString('base64url');

describe('cursors (RFC 9865)', () => {
  const fingerprint = queryFingerprint({ resourceType: 'User', filter: 'title pr', sort: sortOf('userName') });

  it('round-trips a position, as RFC 3986 unreserved characters only', () => {
    for (const position of [[42], ['bob', 7], [null, 3], [0, null, '2024-01-01T00:00:00.000Z', 'id-1'], [true, 1.5, -0.25, 'é ✓ "quoted"']]) {
      const cursor = encodeCursor(fingerprint, position);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor, fingerprint)).toEqual(position);
    }
  });

  it('reads the empty cursor as the start of cursor pagination', () => {
    expect(decodeCursor('', fingerprint)).toEqual([]);
  });

  it('fingerprints the resource type, the filter, the sort attribute and the order, and nothing else', () => {
    const same = queryFingerprint({ resourceType: 'User', filter: 'title pr', sort: sortOf('USERNAME') });
    expect(same).toBe(fingerprint);
    const others = [
      queryFingerprint({ resourceType: 'Group', filter: 'title pr', sort: sortOf('userName') }),
      queryFingerprint({ resourceType: 'User', filter: 'title pr and active eq true', sort: sortOf('userName') }),
      queryFingerprint({ resourceType: 'User', filter: '', sort: sortOf('userName') }),
      queryFingerprint({ resourceType: 'User', filter: 'title pr', sort: sortOf('userName', 'descending') }),
      queryFingerprint({ resourceType: 'User', filter: 'title pr', sort: sortOf('displayName') }),
      queryFingerprint({ resourceType: 'User', filter: 'title pr' }),
    ];
    expect(new Set([fingerprint, ...others]).size).toBe(others.length + 1);
  });

  it('refuses a cursor of another query with invalidCursor', () => {
    const cursor = encodeCursor(fingerprint, ['bob', 7]);
    const other = queryFingerprint({ resourceType: 'User', filter: 'title pr', sort: sortOf('userName', 'descending') });
    expect(refusal(() => decodeCursor(cursor, other))).toBe('invalidCursor');
  });

  it.each([
    ['not base64url', 'abc+/='],
    ['spaces', 'abc def'],
    ['not JSON', Buffer.from('{"v":1,').toString('base64url')],
    ['a JSON string', forge('hello')],
    ['a JSON array', forge([1, 2])],
    ['another version', forge({ v: 2, q: 'x', p: [1], c: 'y' })],
    ['no position', forge({ v: 1, q: 'x', p: [], c: 'y' })],
    ['a position that is not an array', forge({ v: 1, q: 'x', p: 'abc', c: 'y' })],
    ['a nested position key', forge({ v: 1, q: 'x', p: [{ $gt: '' }], c: 'y' })],
    ['too many keys', forge({ v: 1, q: 'x', p: [1, 2, 3, 4, 5, 6, 7, 8, 9], c: 'y' })],
    ['too long', 'A'.repeat(MAX_CURSOR_LENGTH + 1)],
  ])('refuses a malformed cursor (%s) with invalidCursor', (_label, cursor) => {
    expect(refusal(() => decodeCursor(cursor, fingerprint))).toBe('invalidCursor');
  });

  it('refuses a cursor that is not a string (a POST body) with invalidCursor', () => {
    for (const cursor of [7, true, ['a'], { p: [1] }]) expect(refusal(() => decodeCursor(cursor, fingerprint))).toBe('invalidCursor');
  });

  it('refuses an altered cursor: a position changed without its check', () => {
    const cursor = encodeCursor(fingerprint, ['bob', 7]);
    const document = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    expect(refusal(() => decodeCursor(forge({ ...document, p: ['bob', 8] }), fingerprint))).toBe('invalidCursor');
    expect(refusal(() => decodeCursor(forge({ ...document, c: 'AAAAAAAAAAA' }), fingerprint))).toBe('invalidCursor');
    // One character changed anywhere.
    for (let i = 0; i < cursor.length; i += 7) {
      const changed = cursor.slice(0, i) + (cursor[i] === 'A' ? 'B' : 'A') + cursor.slice(i + 1);
      expect(refusal(() => decodeCursor(changed, fingerprint))).toBe('invalidCursor');
    }
  });
});

describe('list requests with a cursor', () => {
  const parse = (params: Record<string, unknown>, max = 100) => parseListRequest(registry.user, params as never, max);

  it('takes `cursor` from the query string, even without a value, and from a search body', () => {
    expect(listParametersFromQuery(new URLSearchParams('filter=title+pr&cursor&count=10'))).toEqual({ filter: 'title pr', cursor: '', count: '10' });
    expect(listParametersFromQuery(new URLSearchParams('CURSOR=abc'))).toEqual({ cursor: 'abc' });
    expect(listParametersFromBody({ cursor: '', count: 10 })).toEqual({ cursor: '', count: 10 });
    expect(refusal(() => listParametersFromQuery(new URLSearchParams('cursor=a&cursor=b')))).toBe('invalidValue');
  });

  it('starts cursor pagination at the beginning for an empty cursor; index pagination without one', () => {
    const request = parse({ cursor: '', count: '5', sortBy: 'userName' });
    expect(request.cursor).toEqual({ after: [], fingerprint: queryFingerprint({ resourceType: 'User', filter: '', sort: request.sort }) });
    expect(request.count).toBe(5);
    expect(parse({ count: '5' }).cursor).toBeUndefined();
  });

  it('continues from the position of a cursor issued for the same query', () => {
    const first = parse({ cursor: '', filter: ' title pr ', sortBy: 'userName', sortOrder: 'descending' });
    const cursor = encodeCursor(first.cursor!.fingerprint, ['bob', 3]);
    expect(parse({ cursor, filter: 'title pr', sortBy: 'username', sortOrder: 'DESCENDING' }).cursor!.after).toEqual(['bob', 3]);
    expect(refusal(() => parse({ cursor, filter: 'title pr', sortBy: 'userName' }))).toBe('invalidCursor');
    expect(refusal(() => parse({ cursor, sortBy: 'userName', sortOrder: 'descending' }))).toBe('invalidCursor');
    // The same parameters on another resource type.
    const userCursor = encodeCursor(parse({ cursor: '', filter: 'displayName pr', sortBy: 'displayName' }).cursor!.fingerprint, ['b', 3]);
    expect(parse({ cursor: userCursor, filter: 'displayName pr', sortBy: 'displayName' }).cursor!.after).toEqual(['b', 3]);
    expect(refusal(() => parseListRequest(registry.group, { cursor: userCursor, filter: 'displayName pr', sortBy: 'displayName' }, 100))).toBe('invalidCursor');
  });

  it('refuses startIndex beside a cursor, empty or not', () => {
    expect(refusal(() => parse({ cursor: '', startIndex: '1' }))).toBe('invalidValue');
    expect(refusal(() => parse({ cursor: encodeCursor('x', [1]), startIndex: 3 }))).toBe('invalidValue');
  });

  it('clamps the count as index pagination does, and refuses one that is not a whole number with invalidCount', () => {
    expect(parse({ cursor: '', count: '1000' }, 50).count).toBe(50);
    expect(parse({ cursor: '' }, 50).count).toBe(50);
    expect(parse({ cursor: '', count: -3 }).count).toBe(0);
    for (const count of ['abc', '2.5', '', 1.5]) expect(refusal(() => parse({ cursor: '', count }))).toBe('invalidCount');
    // Without a cursor, RFC 7644's invalidValue as before.
    expect(refusal(() => parse({ count: 'abc' }))).toBe('invalidValue');
  });
});
