import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CREATE_BATCH } from '../../src/app/bulk';
import { ACCOUNT_URN, BASE, ENTERPRISE_URN, patchBody, startTestApp, userBody, type TestApp } from '../support/test-app';

/**
 * Group commit for imports: consecutive creates of a POST /Bulk are written in batches (one
 * transaction, a savepoint per user) rather than one transaction each. What a client sees must
 * not change: every request below is sent once as a whole to one server, and once operation by
 * operation (each in a bulk request of its own, references replaced by the ids they stand for)
 * to another, and the results, the users stored and the events recorded must be the same.
 */
const BULK_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const bulk = (operations: readonly object[], extra: object = {}) => ({ schemas: [BULK_REQUEST_URN], Operations: operations, ...extra });
const post = (bulkId: string, data: object) => ({ method: 'POST', path: '/Users', bulkId, data });

interface Result { status: string; location?: string; response?: { detail: string } }
type Seeded = Record<string, string>;

/** Each server holds these users before the request (their ids differ, so operations name them through `seeded`). */
const SEED = ['seeded.taken', 'seeded.other'];

const cases: [string, (seeded: Seeded) => object[], object?][] = [
  ['creates only, with a password, extensions and an account type', () => [
    post('a', userBody('only.a')),
    post('b', { ...userBody('only.b'), password: 'correct horse battery staple' }),
    post('c', userBody('only.c', { [ENTERPRISE_URN]: { employeeNumber: '42' }, [ACCOUNT_URN]: { accountType: 'Internal' } })),
    post('d', userBody('only.d', { active: false })),
  ]],
  ['a userName taken by a stored user, and one taken earlier in the same request, in the middle of a run of creates', () => [
    post('a', userBody('dup.a')), post('taken', userBody('SEEDED.TAKEN')), post('b', userBody('dup.b')),
    post('again', userBody('Dup.A')), post('c', userBody('dup.c')),
  ]],
  ['invalid operations, schema errors, account rules and passwords among creates', () => [
    post('a', userBody('mixed.a')),
    { method: 'POST', path: '/Users', data: userBody('mixed.no-bulk-id') },
    post('no-user-name', { schemas: userBody('x').schemas, name: { givenName: 'G', familyName: 'F' } }),
    post('no-given-name', userBody('mixed.no-given', { name: { familyName: 'Only' } })),
    post('unknown', userBody('mixed.unknown', { favouriteColour: 'blue' })),
    post('roles', userBody('mixed.roles', { [ACCOUNT_URN]: { accountType: 'Internal', roles: ['Reports'] } })),
    post('short', { ...userBody('mixed.short'), password: 'short' }),
    post('password', { ...userBody('mixed.password'), password: 'a long enough passphrase' }),
    { method: 'POST', path: '/Nowhere', bulkId: 'nowhere', data: userBody('mixed.nowhere') },
    post('b', userBody('mixed.b')),
  ]],
  ['creates around other methods', (seeded) => [
    post('a', userBody('around.a')),
    { method: 'PATCH', path: `/Users/${seeded['seeded.other']}`, data: patchBody({ op: 'replace', path: 'title', value: 'Boss' }) },
    post('b', userBody('around.b')),
    { method: 'DELETE', path: '/Users/no-such-user' },
    post('c', userBody('around.c')),
    { method: 'PUT', path: `/Users/${seeded['seeded.other']}`, data: userBody('seeded.other', { title: 'Chief' }) },
  ]],
  ['a create referring to an earlier create', () => [
    post('boss', userBody('ref.boss')), post('x', userBody('ref.x')),
    post('employee', userBody('ref.employee', { [ENTERPRISE_URN]: { manager: { value: 'bulkId:boss' } } })),
    post('y', userBody('ref.y')),
  ]],
  ['failOnErrors 2, reached in the middle of a run of creates', () => [
    post('a', userBody('stop.a')), post('taken', userBody('seeded.taken')), post('b', userBody('stop.b')),
    post('bad', userBody('stop.bad', { name: { familyName: 'Only' } })), post('c', userBody('stop.c')), post('d', userBody('stop.d')),
  ], { failOnErrors: 2 }],
  ['failOnErrors 3, with a failure as the last operation', () => [
    post('a', userBody('last.a')), post('b', userBody('last.b')), post('taken', userBody('seeded.taken')),
  ], { failOnErrors: 3 }],
];

const BULK_ID_REFERENCE = /^bulkId:(.*)$/;

/** The operation with each `bulkId:x` replaced by the id the result of x's POST named. */
function resolved(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return ids.get(BULK_ID_REFERENCE.exec(value)?.[1] ?? '') ?? value;
  if (Array.isArray(value)) return value.map((v) => resolved(v, ids));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolved(v, ids)]));
  return value;
}

const idOf = (location: string) => location.slice(location.lastIndexOf('/') + 1);

/** A server with the seeded users; `ids` names them. */
async function seededApp(): Promise<{ t: TestApp; seeded: Seeded }> {
  const t = await startTestApp();
  const seeded: Seeded = {};
  for (const userName of SEED) seeded[userName] = (await t.post('/Users', userBody(userName))).body.id;
  return { t, seeded };
}

/** What a server holds after the request: users and events, with ids and times replaced by stable names. */
async function stateOf(t: TestApp): Promise<unknown> {
  const users = (await t.get('/Users?sortBy=userName&count=100')).body.Resources as { id: string; userName: string }[];
  const events = (await t.data.events.read({ after: 0, limit: 1000, scan: 10_000 })).events.map((e) => [e.type, e.resource.type, e.changes]);
  let text = JSON.stringify({ users, events });
  for (const user of users) text = text.split(user.id).join(`<${user.userName}>`);
  return JSON.parse(text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>').replace(/W\/\\"\d+\\"/g, '<version>').replace(/http:\/\/127\.0\.0\.1:\d+/g, ''));
}

/** A result with the new resource's id replaced by the userName of the user it names. */
async function comparable(t: TestApp, result: Result): Promise<unknown> {
  if (!result.location) return result;
  const user = (await t.get(`/Users/${idOf(result.location)}`)).body as { userName?: string };
  return { ...result, location: `${result.location.slice(result.location.indexOf(BASE)).replace(idOf(result.location), '')}<${user.userName ?? 'gone'}>` };
}

describe('POST /Bulk with group commit', () => {
  describe('answers and stores exactly what the same operations sent one by one give', () => {
    it.each(cases)('%s', async (_title, operationsOf, extra = {}) => {
      const whole = await seededApp();
      const alone = await seededApp();
      try {
        const sent = await whole.t.post('/Bulk', bulk(operationsOf(whole.seeded), extra));
        expect(sent.status).toBe(200);
        const together = sent.body.Operations as Result[];

        const operations = operationsOf(alone.seeded);
        const limit = (extra as { failOnErrors?: number }).failOnErrors ?? Infinity;
        const ids = new Map<string, string>();
        const oneByOne: Result[] = [];
        let failures = 0;
        for (const [index, operation] of operations.entries()) {
          if (failures >= limit) break;
          const [result] = (await alone.t.post('/Bulk', bulk([resolved(operation, ids) as object]))).body.Operations as Result[];
          // Sent alone, an operation is Operations[0]: its error names its place in the whole request.
          if (result.response) result.response.detail = result.response.detail.replace('Operations[0]', `Operations[${index}]`);
          const bulkId = (operation as { bulkId?: string }).bulkId;
          if (bulkId && result.status === '201') ids.set(bulkId, idOf(result.location!));
          if (Number(result.status) >= 400) failures++;
          oneByOne.push(result);
        }

        expect(together).toHaveLength(oneByOne.length);
        for (const [i, result] of together.entries()) expect(await comparable(whole.t, result)).toEqual(await comparable(alone.t, oneByOne[i]));
        expect(await stateOf(whole.t)).toEqual(await stateOf(alone.t));
      } finally {
        await whole.t.close();
        await alone.t.close();
      }
    });
  });

  describe('transactions', () => {
    let t: TestApp;
    beforeAll(async () => { t = await startTestApp(); });
    afterAll(() => t.close());

    /**
     * The commits since the last checkpoint: each commit ends with a WAL frame that carries the
     * database size (a non-zero second word of the frame header) and the WAL's current salts.
     */
    const commitsInWal = (): number => {
      const wal = readFileSync(join(t.dir, 'roster.db-wal'));
      if (wal.length < 32) return 0;
      const pageSize = wal.readUInt32BE(8);
      const salts = wal.subarray(16, 24);
      let commits = 0;
      for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
        if (!wal.subarray(at + 8, at + 16).equals(salts)) break;
        if (wal.readUInt32BE(at + 4) !== 0) commits++;
      }
      return commits;
    };
    /** Commits made by `action`, counted from an emptied WAL (checkpointed and truncated from a second connection). */
    const commitsOf = async (action: () => Promise<unknown>): Promise<number> => {
      const other = new Database(join(t.dir, 'roster.db'));
      try {
        expect(other.pragma('wal_checkpoint(TRUNCATE)')).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
      } finally {
        other.close();
      }
      await action();
      return commitsInWal();
    };
    const creates = (stem: string, count: number) => Array.from({ length: count }, (_, i) => post(`${stem}${i}`, userBody(`${stem}.${i}`)));

    it('commits 2.5 × CREATE_BATCH consecutive creates in 3 transactions, where one create alone takes one', async () => {
      // The first request records the token's use (a write made at most once per interval), and nothing else is written.
      expect(await commitsOf(() => t.post('/Bulk', bulk([])))).toBe(1);
      expect(await commitsOf(() => t.post('/Bulk', bulk([])))).toBe(0);
      const oneByOne = await commitsOf(async () => {
        for (const operation of creates('single', 5)) await t.post('/Bulk', bulk([operation]));
      });
      expect(oneByOne).toBe(5);
      const batched = await commitsOf(() => t.post('/Bulk', bulk(creates('batched', 2.5 * CREATE_BATCH))));
      expect(batched).toBe(3);
      expect((await t.get('/Users?filter=userName sw "batched."&count=0')).body.totalResults).toBe(2.5 * CREATE_BATCH);
    });

    it('fails a taken userName in the middle of a batch alone: the users around it are committed with their events', async () => {
      const operations = creates('middle', 9);
      operations[4] = post('clash', userBody('middle.0'));
      const results = (await t.post('/Bulk', bulk(operations))).body.Operations as Result[];
      expect(results.map((r) => r.status)).toEqual(['201', '201', '201', '201', '409', '201', '201', '201', '201']);
      const created = results.filter((r) => r.status === '201').map((r) => idOf(r.location!));
      const events = (await t.data.events.read({ after: 0, limit: 10_000, scan: 100_000 })).events.filter((e) => created.includes(e.resource.id));
      expect(events.map((e) => e.type)).toEqual(Array(8).fill('user.created'));
      expect(events.map((e) => e.resource.id)).toEqual(created);
    });
  });
});
