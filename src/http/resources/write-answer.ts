import type { Request } from 'express';
import { patchWritesMembers } from '../../scim/resource/member-writes';
import type { ResourceType } from '../../scim/schema/definitions';
import { bodyOf } from '../body';

/** The `return` preference of a request (RFC 7240 §4.2), if it states one. */
function preferredReturn(req: Request): 'minimal' | 'representation' | undefined {
  for (const preference of String(req.headers.prefer ?? '').split(',')) {
    const match = /^return\s*=\s*"?(minimal|representation)"?\s*(;|$)/i.exec(preference.trim());
    if (match) return match[1].toLowerCase() as 'minimal' | 'representation';
  }
  return undefined;
}

const named = (req: Request, name: string) =>
  [...new URL(req.originalUrl, 'http://localhost').searchParams.keys()].some((key) => key.toLowerCase() === name.toLowerCase());

/**
 * Whether a successful PUT or PATCH answers 204 No Content (with the ETag) rather than 200 and
 * the resource:
 *   - `Prefer: return=minimal` → 204, `Prefer: return=representation` → 200 (RFC 7240);
 *   - otherwise `attributes` or `excludedAttributes` in the query ask for the resource → 200;
 *   - otherwise a PATCH of a group's members → 204 (RFC 7644 §3.5.2 allows it): the resource
 *     would be the whole member list, 17.9 MB for 100,000 members, to confirm the one member the
 *     request added. Entra expects 204 (Microsoft's collection asserts it), Okta accepts either;
 *   - anything else → 200, as before. A PUT too: RFC 7644 §3.5.1 gives PUT no 204, Microsoft's
 *     collection asserts 200 for a group PUT, and a PUT's request already carries the whole
 *     member list, so the answer costs what the request did (it is streamed, send-members.ts).
 * A GET always returns the resource (a client that sends the preference on every request would
 * otherwise read nothing), and a POST's 201 carries the id the client needs.
 */
export function answersMinimal(type: ResourceType, req: Request): boolean {
  if (req.method !== 'PUT' && req.method !== 'PATCH') return false;
  const preferred = preferredReturn(req);
  if (preferred) return preferred === 'minimal';
  if (named(req, 'attributes') || named(req, 'excludedAttributes')) return false;
  return req.method === 'PATCH' && patchWritesMembers(type, bodyOf(req));
}
