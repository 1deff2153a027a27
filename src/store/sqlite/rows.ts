import type { StoredResource, StoredUser } from '../port';
import { foldCase } from '../../scim/values/fold-case';
import { getKey, isJsonObject, type Json, type JsonObject } from '../../scim/values/json';

/** Columns every resource table has. */
export interface ResourceRow {
  seq: number;
  id: string;
  created: string;
  last_modified: string;
  version: number;
  data: string;
}

export const toResource = (row: ResourceRow): StoredResource => ({
  id: row.id,
  created: row.created,
  lastModified: row.last_modified,
  version: row.version,
  data: JSON.parse(row.data) as JsonObject,
});

export interface UserRow extends ResourceRow {
  user_name: string;
  password_hash: string | null;
  last_deleted_at: string | null;
}

export const toUser = (row: UserRow): StoredUser => ({
  ...toResource(row),
  ...(row.password_hash ? { passwordHash: row.password_hash } : {}),
  ...(row.last_deleted_at ? { lastDeletedAt: row.last_deleted_at } : {}),
});

export const stringOrNull = (value: Json | undefined): string | null => (typeof value === 'string' ? value : null);
export const foldedOrNull = (value: Json | undefined): string | null => (typeof value === 'string' ? foldCase(value) : null);

/** The rows of user_emails for a user's emails attribute. */
export function emailRows(data: JsonObject): { value_key: string | null; type_key: string | null; is_primary: number; element: string }[] {
  const emails = getKey(data, 'emails');
  if (!Array.isArray(emails)) return [];
  return emails.filter(isJsonObject).map((email) => ({
    value_key: foldedOrNull(getKey(email, 'value')),
    type_key: foldedOrNull(getKey(email, 'type')),
    is_primary: getKey(email, 'primary') === true ? 1 : 0,
    element: JSON.stringify(email),
  }));
}

/** Runs a SQL list in one statement per chunk, keeping under SQLite's parameter limit. */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
