import type { Request } from 'express';
import { invalidValue } from '../scim/errors';


/** If-Match: W/"7" or "7" names the version a write is conditional on; "*" means any. */
export function expectedVersion(req: Request): number | undefined {
  const header = req.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header);
  if (!match) throw invalidValue(`If-Match must be an ETag this server issued, such as W/"3", not ${header}`);
  return Number(match[1]);
}

/** If-None-Match on GET: does the client already hold this version? */
export function clientHasVersion(req: Request, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (header === undefined) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === strip(etag));
}
