import { FreshCache, FRESH_MS } from '../../src/app/fresh-cache';
import { watchWrites, WriteGenerations } from '../../src/app/write-generations';
import { DEFAULT_TENANT_ID, type Store } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { journal } from '../support/journal';

const at = (ms: number) => new Date(Date.parse('2030-01-01T00:00:00Z') + ms);

/**
 * The write generations (write-generations.ts): the store the application uses moves them on
 * every write that may end a credential, whatever its method is called; reads move nothing.
 */
describe('write generations', () => {
  let raw: Store;
  let store: Store;
  let generations: WriteGenerations;
  beforeEach(async () => {
    raw = openSqliteStore(':memory:');
    if (!(await raw.tenants.get(DEFAULT_TENANT_ID))) await raw.tenants.create({ id: DEFAULT_TENANT_ID, name: 'Default', settings: {} }, journal);
    generations = new WriteGenerations();
    store = watchWrites(raw, generations);
  });
  afterEach(() => store.close());
  const tenant = () => store.tenant(DEFAULT_TENANT_ID, journal);
  const user = { data: { userName: 'ada', name: { givenName: 'A', familyName: 'L' } } };

  it.each([
    ['users.get', () => tenant().users.get('nobody')],
    ['tokens.list', () => tenant().tokens.list()],
    ['clients.list', () => tenant().clients.list()],
    ['tenants.get', () => store.tenants.get(DEFAULT_TENANT_ID)],
    ['tenants.contents', () => store.tenants.contents(DEFAULT_TENANT_ID)],
    ['operators.list', () => store.operators.list()],
    ['credentials.findByHash', () => store.credentials.findByHash('0'.repeat(64))],
  ])('a read (%s) moves nothing', async (_name, read) => {
    await read();
    expect(generations.snapshot()).toEqual({ credentials: 0, accounts: 0 });
  });

  it.each([
    ['users.create', () => tenant().users.create(user), { credentials: 0, accounts: 1 }],
    ['tokens.revoke', () => tenant().tokens.revoke('none', at(0).toISOString()), { credentials: 1, accounts: 0 }],
    ['clients.remove', () => tenant().clients.remove('none'), { credentials: 1, accounts: 0 }],
    ['tenants.update', () => store.tenants.update(DEFAULT_TENANT_ID, { name: 'D' }, journal), { credentials: 1, accounts: 0 }],
    ['operators.remove', () => store.operators.remove('none'), { credentials: 1, accounts: 0 }],
  ])('a write (%s) moves its counter, whether or not it changed anything', async (_name, write, moved) => {
    await write();
    expect(generations.snapshot()).toEqual(moved);
  });

  it('a write that fails moves its counter as well (it may have landed)', async () => {
    await tenant().users.create(user);
    await expect(tenant().users.create(user)).rejects.toThrow();
    expect(generations.accounts).toBe(2);
  });

  it('writes to what no credential depends on (groups, events, webhooks) move nothing', async () => {
    await tenant().groups.create({ displayName: 'staff' }, []);
    expect(generations.snapshot()).toEqual({ credentials: 0, accounts: 0 });
  });
});

describe('FreshCache', () => {
  const generations = new WriteGenerations();
  const cache = () => new FreshCache<string, string>(generations, (_v, g) => g.credentials, 2);

  it('serves a value until FRESH_MS after its read began', () => {
    const c = cache();
    c.keep('a', 'A', c.stamp(at(0)));
    expect(c.read('a', at(FRESH_MS - 1))).toBe('A');
    expect(c.read('a', at(FRESH_MS))).toBeUndefined();
  });

  it('keeps no value that a write made stale between its read and its keeping', () => {
    const c = cache();
    const stamp = c.stamp(at(0));
    generations.credentials++;
    c.keep('a', 'A', stamp);
    expect(c.read('a', at(0))).toBeUndefined();
  });

  it('holds at most its bound: the oldest entry goes first', () => {
    const c = cache();
    for (const key of ['a', 'b', 'c']) c.keep(key, key.toUpperCase(), c.stamp(at(0)));
    expect(c.size).toBe(2);
    expect([c.read('a', at(0)), c.read('b', at(0)), c.read('c', at(0))]).toEqual([undefined, 'B', 'C']);
  });
});
