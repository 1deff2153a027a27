import { ACCOUNT_URN, literal, type ListParameters, type Resource } from './scim';

/**
 * The users list as SCIM filters: what an admin types and picks becomes one filter, sort and
 * attribute list an identity provider could send too (no console-only query).
 */

/** The lifecycle statuses and account types of the Account extension (schemas/roster-account.json). */
export const STATUSES = ['Active', 'Pending', 'Created', 'Inactive'] as const;
export const ACCOUNT_TYPES = ['Internal', 'External', 'ConfigAdmin', 'SuperAdmin', 'OneTimeCompletion'] as const;

export const STATUS_PATH = `${ACCOUNT_URN}:status`;
export const ACCOUNT_TYPE_PATH = `${ACCOUNT_URN}:accountType`;

/** The attributes a free-text search looks in: the user's names and addresses. */
const SEARCHED = ['userName', 'name.givenName', 'name.familyName', 'name.formatted', 'displayName', 'emails.value'] as const;

/**
 * Only what the table shows: at 100,000 users a page must not render groups (a membership
 * look-up per user) or anything else nobody reads.
 */
export const USER_ROW_ATTRIBUTES = [
  'userName', 'name.givenName', 'name.familyName', 'name.formatted', 'displayName', 'emails',
  STATUS_PATH, ACCOUNT_TYPE_PATH, 'meta.lastModified',
].join(',');

/** The columns a list may be sorted by, each a SCIM sortBy path. */
export const SORTABLE = ['userName', 'name.familyName', 'meta.lastModified'] as const;
export type SortKey = (typeof SORTABLE)[number];
export type SortOrder = 'ascending' | 'descending';

export interface UserQuery {
  /** Free text: matched as a substring (`co`) of every searched attribute. */
  readonly q?: string;
  readonly status?: string;
  readonly type?: string;
}

/** `userName co "q" or name.givenName co "q" or …`; undefined for blank text. */
export function searchFilter(q: string | undefined): string | undefined {
  const text = q?.trim();
  if (!text) return undefined;
  return SEARCHED.map((path) => `${path} co ${literal(text)}`).join(' or ');
}

/** The search, status and account type, each a condition, combined with `and` (the search in parentheses). */
export function userFilter(query: UserQuery): string | undefined {
  const search = searchFilter(query.q);
  const terms = [
    search && (query.status || query.type ? `(${search})` : search),
    query.status ? `${STATUS_PATH} eq ${literal(query.status)}` : undefined,
    query.type ? `${ACCOUNT_TYPE_PATH} eq ${literal(query.type)}` : undefined,
  ].filter((term): term is string => Boolean(term));
  return terms.length ? terms.join(' and ') : undefined;
}

/** One page of the users list as a SCIM list request. */
export function userListParameters(query: UserQuery & { sortBy?: SortKey; sortOrder?: SortOrder; startIndex: number; count: number }): ListParameters {
  return {
    filter: userFilter(query),
    sortBy: query.sortBy,
    sortOrder: query.sortBy ? query.sortOrder ?? 'ascending' : undefined,
    startIndex: query.startIndex,
    count: query.count,
    attributes: USER_ROW_ATTRIBUTES,
  };
}

/** A user as one line of a table. */
export interface UserRow {
  readonly id: string;
  readonly userName: string;
  readonly name: string;
  readonly email: string;
  readonly status?: string;
  readonly accountType?: string;
  readonly lastModified?: string;
  /** When it was soft-deleted (the deleted users list only). */
  readonly deleted?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** The person's name as written: formatted, else given + family, else displayName. */
function nameOf(user: Resource): string {
  const name = (user.name ?? {}) as Record<string, unknown>;
  const parts = [text(name.givenName), text(name.familyName)].filter(Boolean).join(' ');
  return text(name.formatted) ?? (parts || text(user.displayName) || '');
}

/** The primary email, else the first one. */
function emailOf(user: Resource): string {
  const emails = Array.isArray(user.emails) ? (user.emails as Record<string, unknown>[]) : [];
  const chosen = emails.find((e) => e.primary === true) ?? emails[0];
  return text(chosen?.value) ?? '';
}

export function toUserRow(user: Resource): UserRow {
  const account = (user[ACCOUNT_URN] ?? {}) as Record<string, unknown>;
  return {
    id: user.id,
    userName: text(user.userName) ?? user.id,
    name: nameOf(user),
    email: emailOf(user),
    status: text(account.status),
    accountType: text(account.accountType),
    lastModified: user.meta?.lastModified,
    deleted: user.meta?.deleted,
  };
}
