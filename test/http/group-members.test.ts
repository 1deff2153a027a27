import { GROUP_URN, expectScimError, startTestApp, type TestApp } from '../support/test-app';

const MEMBERS_PAGE_URN = 'urn:ietf:params:scim:api:messages:roster:2.0:MembersPage';

interface Member { value: string; $ref?: string; display?: string; type?: string }

/**
 * Reading a large group: GET /Groups/{id} serves every live member (written a page of members
 * at a time, which a client cannot tell from one body), `excludedAttributes=members` reads the
 * group alone, and membersStartIndex/membersCount page the members with their total.
 */
describe('reading the members of a large group', () => {
  let t: TestApp;
  let memberIds: string[];
  let groupId: string;
  /** More members than one page of the store holds (1,000), so the body is written in three. */
  const MEMBERS = 2500;

  beforeAll(async () => {
    t = await startTestApp();
    memberIds = [];
    for (let i = 0; i < MEMBERS; i++) {
      const userName = `large.${i}`;
      memberIds.push((await t.data.users.create({ data: { userName, displayName: `Large ${i}`, name: { givenName: 'L', familyName: `M${i}` }, emails: [{ value: `${userName}@example.com` }] } })).id);
    }
    groupId = (await t.data.groups.create({ displayName: 'Large' }, memberIds)).id;
  }, 120_000);
  afterAll(() => t.close());

  const values = (members: readonly Member[]) => members.map((m) => m.value);

  describe('GET /Groups/{id}', () => {
    it('serves every member once, each with value, $ref, display and type, between the attributes and meta, with the ETag', async () => {
      const res = await t.get(`/Groups/${groupId}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.headers.etag).toBe(res.body.meta.version);
      expect(Object.keys(res.body)).toEqual(['schemas', 'id', 'displayName', 'members', 'meta']);
      expect(res.body.members).toHaveLength(MEMBERS);
      expect([...values(res.body.members)].sort()).toEqual([...memberIds].sort());
      const i = memberIds.indexOf(res.body.members[1234].value);
      expect(res.body.members[1234]).toEqual({ value: memberIds[i], $ref: expect.stringMatching(new RegExp(`/Users/${memberIds[i]}$`)), display: `Large ${i}`, type: 'User' });
    });

    it('projects each member as asked (attributes=members.value), and leaves them out with excludedAttributes=members', async () => {
      const valuesOnly = await t.get(`/Groups/${groupId}?attributes=members.value`);
      expect(valuesOnly.body.members).toHaveLength(MEMBERS);
      expect(valuesOnly.body.members.every((m: Member) => Object.keys(m).join() === 'value')).toBe(true);
      const without = await t.get(`/Groups/${groupId}?excludedAttributes=members`);
      expect(without.status).toBe(200);
      expect(without.body).not.toHaveProperty('members');
      expect(without.body).toMatchObject({ id: groupId, displayName: 'Large' });
    });

    it('leaves out soft-deleted members and shows them again once restored', async () => {
      const gone = memberIds[1500];
      expect((await t.delete(`/Users/${gone}`)).status).toBe(204);
      const res = await t.get(`/Groups/${groupId}`);
      expect(res.body.members).toHaveLength(MEMBERS - 1);
      expect(values(res.body.members)).not.toContain(gone);
      await t.data.users.restore({ id: gone });
      expect((await t.get(`/Groups/${groupId}`)).body.members).toHaveLength(MEMBERS);
    });

    it('answers 404 for an unknown group before writing anything', async () => {
      expectScimError(await t.get('/Groups/no-such-group'), 404);
    });
  });

  describe('membersStartIndex and membersCount', () => {
    it('serve the slice of members asked for, with the total, in the order of the whole list', async () => {
      const whole = values((await t.get(`/Groups/${groupId}?attributes=members`)).body.members);
      const res = await t.get(`/Groups/${groupId}?membersStartIndex=1001&membersCount=300`);
      expect(res.status).toBe(200);
      expect(values(res.body.members)).toEqual(whole.slice(1000, 1300));
      expect(res.body[MEMBERS_PAGE_URN]).toEqual({ totalResults: MEMBERS, startIndex: 1001, itemsPerPage: 300 });
      expect(res.body).toMatchObject({ id: groupId, displayName: 'Large', meta: { resourceType: 'Group' } });
    });

    it('walked page by page, give every member once', async () => {
      const seen: string[] = [];
      for (let start = 1; start <= MEMBERS; start += 1000) {
        const page = await t.get(`/Groups/${groupId}?attributes=members&membersStartIndex=${start}&membersCount=1000`);
        seen.push(...values(page.body.members));
        expect(page.body[MEMBERS_PAGE_URN].totalResults).toBe(MEMBERS);
      }
      expect([...seen].sort()).toEqual([...memberIds].sort());
    });

    it('page past the end to an empty slice, answer the total alone for membersCount=0, and start at 1 when only membersCount is given', async () => {
      const past = await t.get(`/Groups/${groupId}?membersStartIndex=${MEMBERS + 1}&membersCount=10`);
      expect(past.body.members).toEqual([]);
      expect(past.body[MEMBERS_PAGE_URN]).toEqual({ totalResults: MEMBERS, startIndex: MEMBERS + 1, itemsPerPage: 0 });
      const total = await t.get(`/Groups/${groupId}?membersCount=0`);
      expect(total.body[MEMBERS_PAGE_URN]).toEqual({ totalResults: MEMBERS, startIndex: 1, itemsPerPage: 0 });
      const first = await t.get(`/Groups/${groupId}?membersCount=2`);
      expect(first.body[MEMBERS_PAGE_URN]).toEqual({ totalResults: MEMBERS, startIndex: 1, itemsPerPage: 2 });
    });

    it('are ignored when members are not returned', async () => {
      const res = await t.get(`/Groups/${groupId}?excludedAttributes=members&membersCount=5`);
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('members');
      expect(res.body).not.toHaveProperty(MEMBERS_PAGE_URN);
    });

    it.each([
      ['membersStartIndex=0', 'membersStartIndex must be a whole number of at least 1, not "0"'],
      ['membersStartIndex=-3', 'membersStartIndex must be a whole number of at least 1, not "-3"'],
      ['membersStartIndex=first', 'membersStartIndex must be a whole number of at least 1, not "first"'],
      ['membersStartIndex=1.5', 'membersStartIndex must be a whole number of at least 1, not "1.5"'],
      ['membersCount=-1', 'membersCount must be a whole number of at least 0, not "-1"'],
      ['membersCount=', 'membersCount must be a whole number of at least 0, not ""'],
      ['membersCount=5&membersCount=6', 'membersCount was given 2 times; give it once'],
    ])('refuse %s with 400 invalidValue', async (query, detail) => {
      const res = await t.get(`/Groups/${groupId}?${query}`);
      expectScimError(res, 400, 'invalidValue');
      expect(res.body.detail).toBe(detail);
    });
  });

  it('a write with a bad paging parameter is refused before anything is written', async () => {
    const before = await t.get(`/Groups/${groupId}?excludedAttributes=members`);
    const res = await t.patch(`/Groups/${groupId}?membersCount=-1`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'displayName', value: 'Refused' }] })
      .set('Prefer', 'return=representation');
    expectScimError(res, 400, 'invalidValue');
    const after = await t.get(`/Groups/${groupId}?excludedAttributes=members`);
    expect(after.body.displayName).toBe(before.body.displayName);
    expect(after.headers.etag).toBe(before.headers.etag);
  });

  it('a 200 answer to a members write (Prefer: return=representation) holds every member too', async () => {
    const res = await t.patch(`/Groups/${groupId}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'displayName', value: 'Large' }] })
      .set('Prefer', 'return=representation');
    expect(res.status).toBe(200);
    expect(res.body.members).toHaveLength(MEMBERS);
  });
});

describe('membersCount above MAX_PAGE_SIZE', () => {
  it('is cut to MAX_PAGE_SIZE, as count is', async () => {
    const t = await startTestApp({ maxPageSize: 2 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await t.data.users.create({ data: { userName: `capped.${i}` } })).id);
      const group = await t.post('/Groups', { schemas: [GROUP_URN], displayName: 'Capped', members: ids.map((value) => ({ value })) });
      const res = await t.get(`/Groups/${group.body.id}?membersCount=100`);
      expect(res.body.members).toHaveLength(2);
      expect(res.body[MEMBERS_PAGE_URN]).toEqual({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    } finally {
      await t.close();
    }
  });
});
