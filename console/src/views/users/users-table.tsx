import type { SortKey, UserRow } from '../../api/user-search';
import { hrefOf } from '../../state/route';
import { Time } from '../common/time';
import type { UserListState } from './list-state';

/** The columns an admin can sort by, in table order, with their headers. */
const SORT_HEADERS: Record<SortKey, string> = { userName: 'User name', 'name.familyName': 'Name', 'meta.lastModified': 'Last modified' };

/**
 * A page of users: each userName links to the user's page. Sortable headers are buttons (the
 * keyboard reaches them) and the sorted one says so with aria-sort.
 */
export function UsersTable({ tenantId, rows, state, busy, onSort }: {
  tenantId: string; rows: readonly UserRow[]; state: UserListState; busy: boolean; onSort: (column: SortKey) => void;
}) {
  const sortable = (column: SortKey) => <SortHeader column={column} state={state} onSort={onSort} />;
  return (
    <table class="users-table" aria-busy={busy ? 'true' : undefined} aria-label="Users">
      <thead>
        <tr>
          {sortable('userName')}
          {sortable('name.familyName')}
          <th scope="col">Email</th>
          <th scope="col">Status</th>
          <th scope="col">Account type</th>
          {sortable('meta.lastModified')}
        </tr>
      </thead>
      <tbody>
        {rows.map((user) => (
          <tr key={user.id}>
            <td><a href={hrefOf(['t', tenantId, 'users', user.id])}>{user.userName}</a></td>
            <td>{user.name || <span class="users-muted">—</span>}</td>
            <td>{user.email || <span class="users-muted">—</span>}</td>
            <td>{user.status ? <span class={`badge ${user.status}`}>{user.status}</span> : <span class="users-muted">—</span>}</td>
            <td>{user.accountType ?? <span class="users-muted">—</span>}</td>
            <td><Time iso={user.lastModified} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SortHeader({ column, state, onSort }: { column: SortKey; state: UserListState; onSort: (column: SortKey) => void }) {
  const sorted = state.sortBy === column ? state.sortOrder : undefined;
  return (
    <th scope="col" aria-sort={sorted ?? 'none'}>
      <button type="button" class="sort" onClick={() => onSort(column)}>
        {SORT_HEADERS[column]}
        <span aria-hidden="true" class="users-sort-mark">{sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : ' ↕'}</span>
      </button>
    </th>
  );
}
