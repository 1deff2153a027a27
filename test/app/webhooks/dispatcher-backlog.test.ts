import type { TestApp } from '../../support/test-app';
import { createUser, createWebhook, deliveriesOf, dispatcher, receiver, startClock, stopReceivers, webhookApp } from './dispatcher-support';

/**
 * KNOWN BUG, kept as a reproduction (it.failing: these pass while the bug is there; when it is
 * fixed they fail, and `.failing` comes off). docs/events.md promises that "different resources
 * proceed independently", but a resource with a large backlog whose earliest delivery keeps
 * failing holds back every other resource of the webhook, for up to the retry window:
 * - dueLeased looks only at the first 500 pending deliveries (the dispatcher's WINDOW) in event
 *   order: when one resource owns all of them, no other resource's delivery is ever seen;
 * - the dispatcher queues nothing more once 1,000 deliveries are pending (QUEUE_CAP): when one
 *   resource owns them, other resources' new events are not even queued.
 * One PATCH adding 1,000 members to a group makes exactly such a backlog (one group.member_added
 * each, all of the group's resource).
 */

let t: Awaited<ReturnType<typeof webhookApp>>;
beforeEach(async () => {
  t = await webhookApp();
});
afterEach(async () => {
  await stopReceivers();
  await t.close();
});

/** Users written straight to the store (with their events), quicker than 1,000 POSTs. */
async function users(app: TestApp, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await app.data.users.create({ data: { userName: `member${i}`, active: true } })).id);
  return ids;
}

/** A group created with `members` while a receiver refuses every event of that group; then a user. */
async function stuckGroupThenAUser(members: number) {
  let group = '';
  const r = await receiver((a) => (a.event.resource.id === group ? 'fail' : 'accept'));
  const ids = await users(t, members);
  const hook = await createWebhook(t, r.url());
  const res = await t.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Everyone', members: ids.map((value) => ({ value })) });
  expect(res.status).toBe(201);
  group = res.body.id as string;
  const late = await createUser(t, 'late');
  const time = startClock();
  const d = dispatcher(t.store, time);
  for (let round = 0; round < 4; round++) {
    await d.round();
    time.advance(3_600_000);
  }
  return { r, hook, late };
}

describe('a resource with a backlog whose earliest delivery keeps failing (known bug)', () => {
  it.failing('does not hold back another resource\'s event queued behind 500 of its deliveries', async () => {
    const { r, late } = await stuckGroupThenAUser(520);
    expect(r.accepted().map((a) => a.event.resource.id)).toEqual([late]);
  }, 60_000);

  it.failing('does not keep another resource\'s event from being queued behind 1,000 of its deliveries', async () => {
    // Each round queues up to 1,000 more while fewer than 1,000 are pending: 2,100 members fill the queue before the user is reached.
    const { hook, late } = await stuckGroupThenAUser(2_100);
    expect((await deliveriesOf(t, hook.id)).filter((d) => d.resourceId === late)).toHaveLength(1);
  }, 60_000);
});
