import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { nextTurn } from '../../app/next-turn';
import type { MemberPages } from '../../app/resources/member-pages';
import type { MembersPaging } from '../../scim/list/members-page-request';
import type { Projection } from '../../scim/projection';
import type { ResourceSnapshot } from '../../scim/resource/render';
import type { JsonObject } from '../../scim/values/json';
import { SCIM_CONTENT_TYPE, sendScim } from '../respond';

/** How many members one read of the store and one write to the socket carry. */
export const MEMBER_PAGE = 1000;

/** Where a paged answer says which slice of `members` it holds (Roster's extension; README, Large groups). */
export const MEMBERS_PAGE_URN = 'urn:ietf:params:scim:api:messages:roster:2.0:MembersPage';

/** One response: its status, headers, and the resource it answers with. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly resource: ResourceSnapshot;
}

/** Resolves once the socket takes more (or the client went away). */
const drained = (res: Response) => new Promise<void>((resolve) => {
  const done = () => {
    res.off('drain', done);
    res.off('close', done);
    resolve();
  };
  res.on('drain', done);
  res.on('close', done);
});

/** Members as served through the projection (`attributes=members.value` keeps only value), as JSON text without brackets. */
function membersText(projection: Projection, elements: readonly JsonObject[]): string {
  const projected = projection.apply({ members: [...elements] }).members;
  // One stringify of the page, its brackets cut off, is cheaper than one per member.
  return Array.isArray(projected) && projected.length > 0 ? JSON.stringify(projected).slice(1, -1) : '';
}

/**
 * Answers with a resource that has members: the resource is rendered with a stand-in for
 * `members` and serialised, and the stand-in replaced by the members. Asked for a slice
 * (`paging`), that is one page, with the total beside it. Otherwise the body is streamed: the
 * text before `members`, then the members MEMBER_PAGE at a time, each page read from the store
 * after the previous one was written, awaiting a turn of the event loop in between (and the
 * socket when it is full), then the rest. So a group of 100,000 members never exists as one
 * array or one string, and other requests run while it is written.
 *
 * The first page is read before anything is sent, so a failure there is an ordinary SCIM error.
 * A later failure cannot change the status any more: the connection is closed mid-body (a
 * client sees a truncated response, never a wrong one that parses). The pages are separate
 * reads: a member added or removed while a large group is being written may be in it or not.
 * The ETag is the version the response started from.
 */
export async function sendWithMembers(endpoint: MemberPages, res: Response, answer: Answer, projection: Projection, baseUrl: string, paging?: MembersPaging): Promise<void> {
  const stand = `\u0000members:${randomUUID()}`;
  const { resource } = answer;
  const query = paging ? { offset: paging.startIndex - 1, limit: paging.count } : { offset: 0, limit: MEMBER_PAGE };
  const first = await endpoint.memberElements(resource.id, query, baseUrl);
  const head = endpoint.renderWithMembers(resource, projection, baseUrl, stand);
  if (paging) head[MEMBERS_PAGE_URN] = { totalResults: first.total, startIndex: paging.startIndex, itemsPerPage: first.items.length };
  const text = JSON.stringify(head);
  const at = text.indexOf(JSON.stringify(stand));
  if (at < 0) return sendScim(res, answer.status, head, answer.headers);
  const before = `${text.slice(0, at)}[`;
  const after = `]${text.slice(at + JSON.stringify(stand).length)}`;

  res.status(answer.status).set(answer.headers).type(SCIM_CONTENT_TYPE);
  if (paging) return void res.send(before + membersText(projection, first.items) + after);
  let written = false;
  const write = async (chunk: string) => {
    if (chunk === '') return;
    if (!res.write(written ? `,${chunk}` : chunk)) await drained(res);
    written = true;
  };
  res.write(before);
  await write(membersText(projection, first.items));
  for (let next = first.next; next && !res.destroyed; ) {
    await nextTurn();
    const page = await endpoint.memberElements(resource.id, { offset: 0, limit: MEMBER_PAGE, after: next }, baseUrl);
    await write(membersText(projection, page.items));
    next = page.next;
  }
  res.end(after);
}
