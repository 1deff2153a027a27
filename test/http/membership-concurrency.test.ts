import { GROUP_URN, patchBody, startTestApp, type TestApp } from '../support/test-app';

/**
 * Membership writes are atomic set operations in the store: concurrent member PATCHes never lose
 * each other's changes, and a members-only PATCH never reads or rewrites the member list.
 */

const sorted = (ids: readonly string[]) => [...ids].sort();

describe('concurrent membership changes', () => {
  let t: TestApp;
  let seq = 0;

  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  /**
   * In one process the store is synchronous, so without help every request would run its read
   * and its write back to back and no two PATCHes could ever overlap. This holds every group
   * read until `batch` reads wait (or no new read has come for a moment), then releases them
   * together, so the requests in flight all read before any of them writes: the worst
   * interleaving, as across several Roster instances. It orders reads; it measures nothing.
   */
  const interleaveReads = (batch: number) => {
    const reads = { largestBatch: 0 };
    let waiting: (() => void)[] = [];
    let timer: NodeJS.Timeout | undefined;
    const releaseAll = () => {
      clearTimeout(timer);
      const released = waiting;
      waiting = [];
      reads.largestBatch = Math.max(reads.largestBatch, released.length);
      released.forEach((release) => release());
    };
    const heldBack = <A extends unknown[], R>(read: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        clearTimeout(timer);
        if (waiting.length >= batch) releaseAll();
        else timer = setTimeout(releaseAll, 20);
      });
      return read(...args);
    };
    const { groups } = t.data;
    const get = heldBack(groups.get.bind(groups));
    const membersOf = heldBack(groups.membersOf.bind(groups));
    jest.spyOn(groups, 'get').mockImplementation(get);
    jest.spyOn(groups, 'membersOf').mockImplementation(membersOf);
    return reads;
  };

  /** Users straight through the store: fast, and these tests are about groups. */
  const createUsers = async (count: number, prefix = 'user') => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const userName = `${prefix}.${++seq}`;
      const user = await t.data.users.create({ data: { userName, name: { givenName: 'C', familyName: 'U' }, emails: [{ value: `${userName}@example.com` }] } });
      ids.push(user.id);
    }
    return ids;
  };
  const createGroup = async (displayName: string, memberIds: readonly string[] = []) => {
    const res = await t.post('/Groups', { schemas: [GROUP_URN], displayName, members: memberIds.map((value) => ({ value })) });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const memberIdsOf = async (groupId: string) => {
    const res = await t.get(`/Groups/${groupId}`);
    expect(res.status).toBe(200);
    return sorted(((res.body.members ?? []) as { value: string }[]).map((m) => m.value));
  };

  it('keeps every member when 40 PATCHes each add a different user at the same time', async () => {
    const users = await createUsers(40);
    const groupId = await createGroup('Concurrent Adds');
    const reads = interleaveReads(users.length);
    const responses = await Promise.all(users.map((id) =>
      t.patch(`/Groups/${groupId}?excludedAttributes=members`, patchBody({ op: 'add', path: 'members', value: [{ value: id }] }))));
    expect(responses.map((r) => r.status)).toEqual(users.map(() => 200));
    expect(reads.largestBatch).toBeGreaterThan(1); // the PATCHes really overlapped
    expect(await memberIdsOf(groupId)).toEqual(sorted(users));
    // Each write is one version: 1 at creation plus 40 adds.
    expect((await t.get(`/Groups/${groupId}`)).headers.etag).toBe('W/"41"');
  });

  it('removes every member when 40 PATCHes each remove a different user at the same time, and only those', async () => {
    const users = await createUsers(40);
    const [kept] = await createUsers(1);
    const groupId = await createGroup('Concurrent Removes', [...users, kept]);
    const reads = interleaveReads(users.length);
    const responses = await Promise.all(users.map((id, i) =>
      t.patch(`/Groups/${groupId}?excludedAttributes=members`, i % 2 === 0
        ? patchBody({ op: 'remove', path: `members[value eq "${id}"]` })
        : patchBody({ op: 'Remove', path: 'members', value: [{ value: id }] }))));
    expect(responses.map((r) => r.status)).toEqual(users.map(() => 200));
    expect(reads.largestBatch).toBeGreaterThan(1); // the PATCHes really overlapped
    expect(await memberIdsOf(groupId)).toEqual([kept]);
  });

  it('loses no member and keeps one of the sent names when renames interleave with member adds', async () => {
    const users = await createUsers(30);
    const groupId = await createGroup('Interleaved');
    const names = Array.from({ length: 10 }, (_, i) => `Interleaved ${i}`);
    const add = (id: string) =>
      t.patch(`/Groups/${groupId}?excludedAttributes=members`, patchBody({ op: 'add', path: 'members', value: [{ value: id }] }));
    const rename = (name: string) =>
      t.patch(`/Groups/${groupId}?excludedAttributes=members`, patchBody({ op: 'replace', path: 'displayName', value: name }));
    // One rename sent after every third add, all in flight together.
    const requests = users.flatMap((id, i) => (i % 3 === 0 ? [add(id), rename(names[i / 3])] : [add(id)]));
    expect(requests).toHaveLength(users.length + names.length);
    const reads = interleaveReads(requests.length);
    const responses = await Promise.all(requests);
    expect(responses.map((r) => r.status)).toEqual(requests.map(() => 200));
    expect(reads.largestBatch).toBeGreaterThan(1);

    const group = await t.get(`/Groups/${groupId}`);
    expect(names).toContain(group.body.displayName);
    expect(sorted(group.body.members.map((m: { value: string }) => m.value))).toEqual(sorted(users));
  });

  it('keeps both changes when a no-path rename (Okta) and a members-only PATCH race on one group', async () => {
    const [a, b] = await createUsers(2);
    const groupId = await createGroup('Race Start', [a]);
    const reads = interleaveReads(2);
    const [rename, add] = await Promise.all([
      t.patch(`/Groups/${groupId}`, patchBody({ op: 'replace', value: { id: groupId, displayName: 'Race End' } })),
      t.patch(`/Groups/${groupId}`, patchBody({ op: 'add', path: 'members', value: [{ value: b }] })),
    ]);
    expect(rename.status).toBe(200);
    expect(add.status).toBe(204);
    expect(reads.largestBatch).toBe(2);
    const group = await t.get(`/Groups/${groupId}`);
    expect(group.body.displayName).toBe('Race End');
    expect(sorted(group.body.members.map((m: { value: string }) => m.value))).toEqual(sorted([a, b]));
  });
});

describe('attribute writes racing a stream of member writes', () => {
  let t: TestApp;
  let seq = 0;

  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  const createUsers = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const userName = `stream.${++seq}`;
      ids.push((await t.data.users.create({ data: { userName, name: { givenName: 'S', familyName: 'W' }, emails: [{ value: `${userName}@example.com` }] } })).id);
    }
    return ids;
  };

  /**
   * Lands a members-only write (as another Roster instance would) just before each of the next
   * `count` calls of the store method `method` on the group, so each of them meets a version
   * newer than the one its request read. Returns the users so added.
   */
  const memberWriteBefore = async (method: 'update' | 'delete', groupId: string, count: number) => {
    const intruders = await createUsers(count);
    const pending = [...intruders];
    const { groups } = t.data;
    const original = groups[method].bind(groups) as (...args: unknown[]) => Promise<unknown>;
    const direct = groups.update.bind(groups);
    jest.spyOn(groups, method).mockImplementation((async (...args: unknown[]) => {
      const next = pending.shift();
      if (next) await direct(groupId, undefined, { memberChanges: [{ op: 'add', ids: [next] }] });
      return original(...args);
    }) as never);
    return intruders;
  };

  it('renames a group although more member writes land during the rename than it has attempts', async () => {
    const [a, b] = await createUsers(2);
    const groupId = (await t.data.groups.create({ displayName: 'Busy Group' }, [a])).id;
    const intruders = await memberWriteBefore('update', groupId, 15);

    const res = await t.patch(`/Groups/${groupId}?excludedAttributes=members`, patchBody(
      { op: 'replace', path: 'displayName', value: 'Busy Group Renamed' },
      { op: 'add', path: 'members', value: [{ value: b }] },
    ));
    expect(res.status).toBe(200);
    expect(res.body.displayName).toBe('Busy Group Renamed');
    jest.restoreAllMocks();

    const group = await t.get(`/Groups/${groupId}`);
    expect(group.body.displayName).toBe('Busy Group Renamed');
    expect(sorted(group.body.members.map((m: { value: string }) => m.value))).toEqual(sorted([a, b, ...intruders]));
  });

  it('still answers 412 to a rename with a stale If-Match when a member write landed first', async () => {
    const groupId = (await t.data.groups.create({ displayName: 'Guarded Busy' }, [])).id;
    await memberWriteBefore('update', groupId, 1);
    const res = await t.patch(`/Groups/${groupId}`, patchBody({ op: 'replace', path: 'displayName', value: 'Guarded Renamed' })).set('If-Match', 'W/"1"');
    expect(res.status).toBe(412);
    jest.restoreAllMocks();
    expect((await t.get(`/Groups/${groupId}`)).body.displayName).toBe('Guarded Busy');
  });

  it('does not overwrite a rename that landed first: the PATCH is recomputed from the new attributes', async () => {
    const groupId = (await t.data.groups.create({ displayName: 'First Name', externalId: 'ext-0' }, [])).id;
    const { groups } = t.data;
    const original = groups.update.bind(groups);
    let intruded = false;
    jest.spyOn(groups, 'update').mockImplementation(async (...args) => {
      if (!intruded) {
        intruded = true;
        await original(groupId, undefined, { data: { displayName: 'First Name', externalId: 'ext-other' } });
      }
      return original(...args);
    });
    const res = await t.patch(`/Groups/${groupId}`, patchBody({ op: 'replace', path: 'displayName', value: 'Second Name' }));
    expect(res.status).toBe(200);
    jest.restoreAllMocks();
    const group = await t.get(`/Groups/${groupId}`);
    expect(group.body.displayName).toBe('Second Name');
    expect(group.body.externalId).toBe('ext-other');
  });

  it('deletes a group although member writes keep landing before the delete', async () => {
    const groupId = (await t.data.groups.create({ displayName: 'Busy Delete' }, [])).id;
    await memberWriteBefore('delete', groupId, 15);
    expect((await t.delete(`/Groups/${groupId}`)).status).toBe(204);
    jest.restoreAllMocks();
    expect((await t.get(`/Groups/${groupId}`)).status).toBe(404);
  });
});

describe('membership on a 20,000-member group', () => {
  let t: TestApp;
  let groupId: string;
  let memberIds: string[];
  let newcomer: string;
  const SIZE = 20_000;
  const NAME = 'Very Large Group';

  beforeAll(async () => {
    t = await startTestApp();
    const ids: string[] = [];
    for (let i = 0; i <= SIZE; i++) {
      const userName = `large.${i}`;
      const user = await t.data.users.create({ data: { userName, name: { givenName: 'L', familyName: 'G' }, emails: [{ value: `${userName}@example.com` }] } });
      ids.push(user.id);
    }
    newcomer = ids.pop()!;
    memberIds = ids;
    groupId = (await t.data.groups.create({ displayName: NAME }, memberIds)).id;
  }, 120_000);
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  it('adds one member with a members-only PATCH without reading or rewriting the member list', async () => {
    const membersOf = jest.spyOn(t.data.groups, 'membersOf');
    const update = jest.spyOn(t.data.groups, 'update');
    const res = await t.patch(`/Groups/${groupId}?excludedAttributes=members`,
      patchBody({ op: 'add', path: 'members', value: [{ value: newcomer }] }));

    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('members');
    expect(res.body.displayName).toBe(NAME);
    expect(membersOf).not.toHaveBeenCalled();
    // One store write carrying only the set operation: no attributes, no re-sent member list.
    expect(update).toHaveBeenCalledTimes(1);
    const [, , write] = update.mock.calls[0];
    expect(write.data).toBeUndefined();
    expect(write.memberChanges).toEqual([{ op: 'add', ids: [newcomer] }]);

    membersOf.mockRestore();
    const members = (await t.data.groups.membersOf([groupId])).get(groupId)!;
    expect(members).toHaveLength(SIZE + 1);
    expect(members.some((m) => m.id === newcomer)).toBe(true);
  });

  it('removes one member by value eq without reading the member list', async () => {
    const membersOf = jest.spyOn(t.data.groups, 'membersOf');
    const removed = memberIds[SIZE / 2];
    const res = await t.patch(`/Groups/${groupId}?excludedAttributes=members`,
      patchBody({ op: 'remove', path: `members[value eq "${removed}"]` }));
    expect(res.status).toBe(200);
    expect(membersOf).not.toHaveBeenCalled();

    membersOf.mockRestore();
    const filtered = await t.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent(`members[value eq "${removed}"]`)}`);
    expect(filtered.body.totalResults).toBe(0);
    const stillThere = await t.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent(`members[value eq "${memberIds[0]}"]`)}`);
    expect(stillThere.body.totalResults).toBe(1);
  });

  it('serves a filtered list and a single GET with excludedAttributes=members without reading memberships', async () => {
    const membersOf = jest.spyOn(t.data.groups, 'membersOf');
    const list = await t.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${NAME.toLowerCase()}"`)}`);
    expect(list.status).toBe(200);
    expect(list.body.totalResults).toBe(1);
    expect(list.body.Resources[0].id).toBe(groupId);
    expect(list.body.Resources[0]).not.toHaveProperty('members');

    const one = await t.get(`/Groups/${groupId}?excludedAttributes=members`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('members');
    expect(membersOf).not.toHaveBeenCalled();
  });

  it('reads memberships once for a list page that does return members', async () => {
    const size = (await t.data.groups.membersOf([groupId])).get(groupId)!.length;
    const membersOf = jest.spyOn(t.data.groups, 'membersOf');
    const list = await t.get(`/Groups?attributes=displayName,members&filter=${encodeURIComponent(`displayName eq "${NAME}"`)}`);
    expect(list.status).toBe(200);
    expect(list.body.Resources[0].members).toHaveLength(size);
    expect(size).toBeGreaterThanOrEqual(SIZE);
    expect(membersOf).toHaveBeenCalledTimes(1);
  });
});
