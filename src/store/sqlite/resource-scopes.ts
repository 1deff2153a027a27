import { ACCOUNT_EXTENSION, EFFECTIVE_PERMISSIONS } from '../../scim/filter/effective-permissions';
import type { ResolvedAttribute } from '../../scim/schema/resolve-attribute';
import { budgetCheck } from './query-budget';
import type { SearchColumn } from './search-index';
import { containerPath, jsonPath, jsonScope, TENANT, type SqlCollection, type SqlScope, type SqlValue } from './sql-scope';

/**
 * Where the SQLite adapter keeps each filterable attribute. Attributes that identity providers
 * filter on live in indexed columns (folded for case-insensitive ones); emails, group members,
 * a user's groups and effective permissions are rows of their own tables; everything else is
 * read from the JSON document.
 */
type ColumnMap = Readonly<Record<string, SqlValue>>;

const common = (t: string, resourceType: string): ColumnMap => ({
  id: { sql: `${t}.id`, folded: false, notNull: true },
  externalId: { sql: `${t}.external_id`, folded: false },
  'meta.created': { sql: `${t}.created`, folded: false, notNull: true },
  'meta.lastModified': { sql: `${t}.last_modified`, folded: false, notNull: true },
  'meta.resourceType': { sql: `'${resourceType}'`, folded: false, notNull: true },
});

/** A column of a trigram index (search-migration.ts) whose rowid is the row's seq; `sw` on a folded column is an index range already. */
const searched = (table: SearchColumn['table'], column: string, folding: SearchColumn['folding']): SearchColumn =>
  ({ table, column, row: 't.seq', folding, prefixIndexed: folding === 'exact' });

/** name.givenName… read from the document as any attribute is, and found by user_search when the operand allows. */
const namePart = (sub: string, column: string): SqlValue =>
  ({ sql: `json_extract(t.data, ${jsonPath(['name', sub])})`, folded: false, search: searched('user_search', column, 'ascii') });

const userColumns: ColumnMap = {
  ...common('t', 'User'),
  userName: { sql: 't.user_name_key', folded: true, notNull: true, search: searched('user_search', 'user_name', 'exact') },
  displayName: { sql: 't.display_name_key', folded: true, search: searched('user_search', 'display_name', 'exact') },
  active: { sql: 't.active', folded: false },
  'name.givenName': namePart('givenName', 'given_name'),
  'name.familyName': namePart('familyName', 'family_name'),
  'name.formatted': namePart('formatted', 'formatted'),
  // Generated columns over the document (account-columns-migration.ts), indexed for live users.
  [`${ACCOUNT_EXTENSION}.status`]: { sql: 't.account_status', folded: false },
  [`${ACCOUNT_EXTENSION}.accountType`]: { sql: 't.account_type', folded: false },
};

const groupColumns: ColumnMap = {
  ...common('t', 'Group'),
  displayName: { sql: 't.display_name_key', folded: true, notNull: true, search: searched('group_search', 'display_name', 'exact') },
};

const key = (attribute: ResolvedAttribute) => attribute.jsonPath.join('.');

/** A user's emails in user_email_search, by user: the prefilter narrows the user_emails rows read to those users'. */
const emailSearch: SearchColumn = {
  table: 'user_email_search', column: 'value', row: 'ue.user_seq', folding: 'exact', prefixIndexed: true,
  lookup: 'user_emails ue INDEXED BY user_emails_user',
};

/** emails[…] as rows of user_emails, which has an index on (tenant, folded value). */
const userEmails: SqlCollection = {
  from: 'user_emails ue',
  within: `ue.tenant_id = ${TENANT}`,
  correlate: 'ue.user_seq = t.seq',
  semiJoin: { outer: 't.seq', inner: 'ue.user_seq' },
  rowKey: 'ue.rowid',
  primaryFirst: 'ue.is_primary DESC, ue.rowid',
  element: (sub) => {
    if (sub?.name === 'value') return { sql: 'ue.value_key', folded: true, search: emailSearch };
    if (sub?.name === 'type') return { sql: 'ue.type_key', folded: true };
    return sub ? { sql: `json_extract(ue.element, '$."${sub.name}"')`, folded: false } : undefined;
  },
};

/** members[…] as membership rows joined to their users. */
const groupMembers: SqlCollection = {
  from: 'memberships m JOIN users mu ON mu.seq = m.user_seq AND mu.deleted_at IS NULL',
  within: `m.tenant_id = ${TENANT} AND mu.tenant_id = ${TENANT}`,
  correlate: 'm.group_seq = t.seq',
  semiJoin: { outer: 't.seq', inner: 'm.group_seq' },
  rowKey: 'mu.seq',
  primaryFirst: 'm.user_seq',
  element: (sub) => {
    switch (sub?.name) {
      case 'value': return { sql: 'mu.id', folded: false, notNull: true };
      case 'type': return { sql: "'User'", folded: false, notNull: true };
      // The member's displayName, else its userName, from their folded columns: no JSON to parse per member.
      case 'display': return { sql: 'COALESCE(mu.display_name_key, mu.user_name_key)', folded: true, notNull: true };
      default: return undefined;
    }
  },
};

/**
 * A user's groups[…] (computed, never in the JSON document) as the user's membership rows joined
 * to their groups; "first" is the order they are rendered in, by display name.
 */
const userGroups: SqlCollection = {
  from: 'memberships gm JOIN groups g ON g.seq = gm.group_seq',
  within: `gm.tenant_id = ${TENANT} AND g.tenant_id = ${TENANT}`,
  correlate: 'gm.user_seq = t.seq',
  semiJoin: { outer: 't.seq', inner: 'gm.user_seq' },
  rowKey: 'g.seq',
  primaryFirst: 'g.display_name_key, g.seq',
  element: (sub) => {
    switch (sub?.name) {
      // Group ids are lower-case UUIDs, their own foldCase: the (not caseExact) value compares with the indexed id.
      case 'value': return { sql: 'g.id', folded: true, notNull: true };
      case 'display': return { sql: 'g.display_name_key', folded: true, notNull: true };
      case 'type': return { sql: "'direct'", folded: false, notNull: true };
      default: return undefined;
    }
  },
};

/**
 * A user's effectivePermissions (computed, never in the JSON document): the values of its own
 * entitlements (user_entitlements) and the permissions of its groups (group_permissions joined to
 * memberships), one row per (user, permission) source. SQLite pushes a condition on `ep` into
 * both arms, so `effectivePermissions eq "x"` reads the key (tenant, "x") of each table, then
 * the memberships of the few groups found: never the tenant's users or memberships. CROSS JOIN
 * fixes that order (left to choose, the planner walked every membership of the tenant). Values
 * are caseExact, compared as stored. Each arm checks the list's time budget on its own rows, as
 * `co` or `pr` read all of them. Soft-deleted users keep their rows; the list hides them.
 */
const effectivePermissions: SqlCollection = {
  from: `(SELECT ue.user_seq AS user_seq, ue.value AS permission FROM user_entitlements ue
      WHERE ue.tenant_id = ${TENANT} AND ${budgetCheck('ue.user_seq')}
    UNION ALL SELECT m.user_seq, gp.permission FROM group_permissions gp
      CROSS JOIN memberships m ON m.tenant_id = gp.tenant_id AND m.group_seq = gp.group_seq
      WHERE gp.tenant_id = ${TENANT} AND ${budgetCheck('m.user_seq')}) ep`,
  correlate: 'ep.user_seq = t.seq',
  semiJoin: { outer: 't.seq', inner: 'ep.user_seq' },
  // Rendered sorted, so the first value (which sortBy uses) is the least.
  primaryFirst: 'ep.permission',
  element: (sub) => (sub ? undefined : { sql: 'ep.permission', folded: false, notNull: true }),
};

function tableScope(columns: ColumnMap, collections: Readonly<Record<string, SqlCollection>>): SqlScope {
  const json = jsonScope('t', 't.data');
  return {
    base: [],
    scalar: (attribute) => columns[key(attribute)] ?? json.scalar(attribute),
    collection: (attribute) => collections[containerPath(attribute).join('.')] ?? json.collection(attribute),
  };
}

export const userScope = tableScope(userColumns, { emails: userEmails, groups: userGroups, [`${ACCOUNT_EXTENSION}.${EFFECTIVE_PERMISSIONS}`]: effectivePermissions });
export const groupScope = tableScope(groupColumns, { members: groupMembers });
