import request from 'supertest';
import type { ChangeEvent, EventActor } from '../../../src/store/port';
import { DEFAULT_TENANT_ID } from '../../../src/store/port';
import { TEST_TENANT, type TestApp } from '../../support/test-app';

/**
 * What the specs of change events share (test/http/events): the test tenant's admin path, an
 * admin client with any token, and reading the events a test's writes recorded through the
 * feed itself (GET …/events), never through the store.
 */

/** The admin path of a tenant: /admin for the built-in one, /admin/tenants/{id} for another. */
export const adminOf = (tenantId: string) => (tenantId === DEFAULT_TENANT_ID ? '/admin' : `/admin/tenants/${tenantId}`);

/** The admin path of the test tenant (like ADMIN_USERS, it follows the jest project's tenant). */
export const ADMIN = adminOf(TEST_TENANT);

/** JSON requests to an admin path (ADMIN by default) with a bearer token (the test tenant's service token by default). */
export function adminClient(t: TestApp, token: string = t.token, base: string = ADMIN) {
  const auth = (test: request.Test) => test.set('Authorization', `Bearer ${token}`);
  const json = (test: request.Test, body?: object) => (body === undefined ? auth(test) : auth(test).send(body));
  return {
    get: (path: string) => auth(request(t.app).get(base + path)),
    post: (path: string, body?: object) => json(request(t.app).post(base + path), body),
    patch: (path: string, body?: object) => json(request(t.app).patch(base + path), body),
    delete: (path: string) => auth(request(t.app).delete(base + path)),
  };
}
export type AdminClient = ReturnType<typeof adminClient>;

/** The actor an event names for a bearer secret: the principal it authenticates as. */
export async function actorOf(t: TestApp, secret: string): Promise<EventActor> {
  const authentication = await t.application.authenticate(secret);
  if (!authentication.ok) throw new Error(`the token does not authenticate: ${authentication.reason}`);
  const { principal } = authentication;
  const token = { tokenId: principal.tokenId, tokenName: principal.tokenName };
  return principal.kind === 'user' ? { kind: 'user', ...token, userId: principal.userId } : { kind: principal.kind, ...token };
}

/** Every event of the feed after `after`, page by page until caught up (`next` equal to `after`). */
export async function eventsAfter(admin: AdminClient, after: number, query = ''): Promise<ChangeEvent[]> {
  const events: ChangeEvent[] = [];
  for (;;) {
    const res = await admin.get(`/events?after=${after}&limit=1000${query}`);
    if (res.status !== 200) throw new Error(`GET events answered ${res.status}: ${JSON.stringify(res.body)}`);
    events.push(...(res.body.events as ChangeEvent[]));
    if (res.body.next === after) return events;
    after = res.body.next as number;
  }
}

/** The feed's position now: what a reader that has caught up holds as its `after`. */
export async function caughtUp(admin: AdminClient): Promise<number> {
  let after = 0;
  for (;;) {
    const res = await admin.get(`/events?after=${after}&limit=1000`);
    if (res.body.next === after) return after;
    after = res.body.next as number;
  }
}

/**
 * Watches the feed from now: `events()` returns what was recorded since, as the feed serves it.
 * Each test starts one, so it sees its own writes only.
 */
export async function watchFeed(admin: AdminClient) {
  const from = await caughtUp(admin);
  return { from, events: (query = '') => eventsAfter(admin, from, query) };
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * The events a request recorded, as the feed must serve them: each of `drafts` (type,
 * resource, member, changes) with the test tenant, the request's X-Request-Id and the actor
 * of the token used; ids and times are checked by `expectOrdered`.
 */
export function recorded(res: { headers: Record<string, string> }, actor: EventActor, drafts: readonly object[], tenant = TEST_TENANT): object[] {
  const requestId = res.headers['x-request-id'];
  if (!requestId) throw new Error('the response has no X-Request-Id');
  return drafts.map((draft) => ({ id: expect.any(Number), tenant, occurredAt: expect.stringMatching(ISO_TIME), actor, requestId, ...draft }));
}

/** Ids strictly increasing, in the order the events were read. */
export function expectOrdered(events: readonly ChangeEvent[]): void {
  for (let i = 1; i < events.length; i++) expect(events[i].id).toBeGreaterThan(events[i - 1].id);
}
