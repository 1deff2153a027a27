import { useState } from 'preact/hooks';
import { listDeletedUsers, restoreUser } from '../../api/deleted-users';
import { searchFilter, toUserRow, USER_ROW_ATTRIBUTES, type UserRow } from '../../api/user-search';
import { hrefOf } from '../../state/route';
import { useAction, useLoad } from '../../state/use-load';
import { Pager } from '../common/pager';
import { EmptyState, ErrorNote, Loading } from '../common/states';
import { Time } from '../common/time';
import type { TenantPageProps } from '../page';
import { changeList, listStateOf, PAGE_SIZE, type UserListState } from './list-state';
import { SearchBox } from '../common/search-box';
import { UsersHeading } from './users-heading';
import './users.css';

/**
 * #/t/{tenant}/users/deleted: the soft-deleted users (kept, with their groups, until the
 * retention purge), searched like the live list, each restorable with one press. A restore the
 * server refuses (a live account took the userName since: 409) shows its sentence on that row.
 */
export function DeletedUsersPage({ ctx, route }: TenantPageProps) {
  const state = listStateOf(route);
  const change = (changes: Partial<UserListState>, replace = false) => changeList(['t', ctx.tenantId, 'users', 'deleted'], state, changes, replace);
  const { q, start } = state;
  const list = useLoad(
    () => listDeletedUsers(ctx.session.token, ctx.admin, { filter: searchFilter(q), startIndex: start, count: PAGE_SIZE, attributes: USER_ROW_ATTRIBUTES }),
    [ctx.admin, q, start],
  );
  const [restored, setRestored] = useState<UserRow | undefined>();
  /** The row last pressed: a refusal is shown under it. */
  const [tried, setTried] = useState<string | undefined>();
  const restore = useAction(async (row: UserRow) => {
    setRestored(undefined);
    setTried(row.id);
    const user = await restoreUser(ctx.session.token, ctx.admin, row.id);
    setRestored(toUserRow(user));
    list.reload();
  });
  const rows = (list.data?.Resources ?? []).map(toUserRow);
  return (
    <section class="users-page">
      <UsersHeading tenantId={ctx.tenantId} current="deleted" />
      <p class="hint">Deleted users keep their data and groups until the retention purge; restoring one brings both back.</p>
      {restored ? (
        <p class="notice" role="status">Restored <a href={hrefOf(['t', ctx.tenantId, 'users', restored.id])}>{restored.userName}</a>.</p>
      ) : null}
      <div class="toolbar">
        <SearchBox value={q} label="Search deleted users" onSearch={(text) => change({ q: text }, true)} />
      </div>
      <ErrorNote error={list.error} />
      {list.loading && !list.data && !list.error ? <Loading what="Loading deleted users" /> : null}
      {list.data && rows.length === 0 ? (
        <EmptyState title={q ? `No deleted user matches “${q}”.` : 'No deleted users'}>
          {q ? 'Try fewer letters, or clear the search.' : 'Users deleted through SCIM (DELETE /Users/{id}) appear here until they are purged.'}
        </EmptyState>
      ) : null}
      {rows.length ? (
        <table class="users-table" aria-label="Deleted users" aria-busy={list.loading ? 'true' : undefined}>
          <thead>
            <tr><th scope="col">User name</th><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Deleted</th><th scope="col"><span class="users-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {rows.map((row) => [
              <tr key={row.id}>
                <td>{row.userName}</td>
                <td>{row.name || <span class="users-muted">—</span>}</td>
                <td>{row.email || <span class="users-muted">—</span>}</td>
                <td><Time iso={row.deleted} /></td>
                <td class="users-row-actions">
                  <button type="button" disabled={restore.busy} aria-label={`Restore ${row.userName}`} onClick={() => void restore.run(row)}>Restore</button>
                </td>
              </tr>,
              restore.error && tried === row.id ? <tr key={`${row.id}-error`} class="users-row-error"><td colSpan={5}><ErrorNote error={restore.error} /></td></tr> : null,
            ])}
          </tbody>
        </table>
      ) : null}
      {list.data && list.data.totalResults > 0 ? (
        <Pager startIndex={start} count={PAGE_SIZE} shown={rows.length} total={list.data.totalResults} label="deleted users" onPage={(s) => change({ start: s })} />
      ) : null}
    </section>
  );
}
