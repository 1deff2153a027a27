import { changeJournal } from '../../../src/domain/events/journal';
import { SYSTEM_ORIGIN } from '../../../src/domain/events/event-actor';
import type { ChangedMember, StoredGroup } from '../../../src/store/port';
import type { JsonObject } from '../../../src/scim/values/json';

/**
 * A change of a group is the group's own event (when its attributes changed), then one event
 * per member added or removed, each naming the member. Deleting a group is one event: it ends
 * every membership in it.
 */
const { draft } = changeJournal(SYSTEM_ORIGIN);

const group = (data: JsonObject): StoredGroup => ({ id: 'g1', created: '2030-01-01T00:00:00.000Z', lastModified: '2030-01-01T00:00:00.000Z', version: 1, data });
const ADMINS = group({ displayName: 'Admins' });
const RESOURCE = { type: 'Group', id: 'g1', displayName: 'Admins' };
const ada: ChangedMember = { id: 'u1', userName: 'ada' };
const grace: ChangedMember = { id: 'u2', userName: 'grace' };

const updated = (after: StoredGroup, added: ChangedMember[] = [], removed: ChangedMember[] = []) =>
  draft({ of: 'group', kind: 'updated', before: ADMINS, after, added, removed });

describe('group.created', () => {
  it('carries its attributes, followed by one group.member_added per member', () => {
    expect(draft({ of: 'group', kind: 'created', after: group({ displayName: 'Admins', externalId: 'okta-7' }), added: [ada, grace] })).toEqual([
      { type: 'group.created', resource: RESOURCE, changes: [{ path: 'displayName', after: 'Admins' }, { path: 'externalId', after: 'okta-7' }] },
      { type: 'group.member_added', resource: RESOURCE, member: { type: 'User', id: 'u1', userName: 'ada' } },
      { type: 'group.member_added', resource: RESOURCE, member: { type: 'User', id: 'u2', userName: 'grace' } },
    ]);
  });

  it('without members is one event', () => {
    expect(draft({ of: 'group', kind: 'created', after: ADMINS, added: [] })).toHaveLength(1);
  });
});

describe('an update of a group', () => {
  it('renamed is group.updated, naming the group as it is now', () => {
    expect(updated(group({ displayName: 'Administrators' }))).toEqual([{
      type: 'group.updated',
      resource: { type: 'Group', id: 'g1', displayName: 'Administrators' },
      changes: [{ path: 'displayName', before: 'Admins', after: 'Administrators' }],
    }]);
  });

  it('that only changes members records the member events, no group.updated', () => {
    expect(updated(ADMINS, [grace], [ada])).toEqual([
      { type: 'group.member_added', resource: RESOURCE, member: { type: 'User', id: 'u2', userName: 'grace' } },
      { type: 'group.member_removed', resource: RESOURCE, member: { type: 'User', id: 'u1', userName: 'ada' } },
    ]);
  });

  it('renamed with members added: group.updated first, then the members under the new name', () => {
    const types = updated(group({ displayName: 'Ops' }), [ada]).map((e) => [e.type, e.resource.displayName]);
    expect(types).toEqual([['group.updated', 'Ops'], ['group.member_added', 'Ops']]);
  });

  it('names a member without a known userName by id alone', () => {
    expect(updated(ADMINS, [], [{ id: 'u3' }])[0].member).toEqual({ type: 'User', id: 'u3' });
  });

  it('that changes nothing records nothing', () => {
    expect(updated(group({ displayName: 'Admins' }))).toEqual([]);
  });

  it('adding 1,000 members drafts 1,000 events quickly, sharing one resource object', () => {
    const members = Array.from({ length: 1000 }, (_, i) => ({ id: `u${i}`, userName: `user${i}` }));
    const big = group({ displayName: 'Everyone', description: 'x'.repeat(10_000) });
    const started = performance.now();
    const events = draft({ of: 'group', kind: 'updated', before: big, after: big, added: members, removed: [] });
    expect(performance.now() - started).toBeLessThan(200);
    expect(events).toHaveLength(1000);
    expect(events.map((e) => e.member?.id)).toEqual(members.map((m) => m.id));
    expect(new Set(events.map((e) => e.resource)).size).toBe(1);
  });
});

describe('group.deleted', () => {
  it('is one event without changes: it ends every membership, with no member_removed for them', () => {
    expect(draft({ of: 'group', kind: 'deleted', before: ADMINS })).toEqual([{ type: 'group.deleted', resource: RESOURCE }]);
  });
});
