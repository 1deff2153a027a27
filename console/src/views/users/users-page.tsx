import { ACCOUNT_TYPES, STATUSES, toUserRow, userListParameters } from '../../api/user-search';
import { useLoad } from '../../state/use-load';
import { EmptyState, ErrorNote, Loading } from '../common/states';
import { Pager } from '../common/pager';
import type { TenantPageProps } from '../page';
import { changeList, listStateOf, nextSort, PAGE_SIZE, type UserListState } from './list-state';
import { SearchBox } from '../common/search-box';
import { UsersHeading } from './users-heading';
import { UsersTable } from './users-table';
import './users.css';

const ERROR_ID = 'users-list-error';

/**
 * The user page sends the admin here after a delete with a notice in the address. Only that one
 * sentence is shown: a link someone crafts cannot put words of its own on this page.
 */
const DELETED = /^Deleted [^\n]{1,300}\. You can restore it from Deleted users\.$/;
const deletedNotice = (notice: string | null) => (notice && DELETED.test(notice) ? <p class="notice" role="status">{notice}</p> : null);

/**
 * #/t/{tenant}/users: the tenant's users, 50 a page, searched, filtered and sorted by the server
 * in one SCIM request that asks only for the attributes the table shows. A request the server
 * refuses (a filter too costly for its time budget) shows the server's sentence; the console
 * never fetches more users to filter or sort them itself.
 */
export function UsersPage({ ctx, route }: TenantPageProps) {
  const state = listStateOf(route);
  const segments = ['t', ctx.tenantId, 'users'];
  const change = (changes: Partial<UserListState>, replace = false) => changeList(segments, state, changes, replace);
  const { q, status, type, sortBy, sortOrder, start } = state;
  const list = useLoad(
    () => ctx.scim.list('Users', userListParameters({ q, status, type, sortBy, sortOrder, startIndex: start, count: PAGE_SIZE })),
    [ctx.scim.base, q, status, type, sortBy, sortOrder, start],
  );
  const rows = (list.data?.Resources ?? []).map(toUserRow);
  const narrowed = Boolean(q || status || type);
  return (
    <section class="users-page">
      <UsersHeading tenantId={ctx.tenantId} current="all" />
      {deletedNotice(route.query.get('notice'))}
      <div class="toolbar">
        <SearchBox value={q} onSearch={(text) => change({ q: text }, true)} describedBy={list.error && q ? ERROR_ID : undefined} />
        <Choice label="Status" any="Any status" value={status} options={STATUSES} onChange={(v) => change({ status: v })} />
        <Choice label="Account type" any="Any type" value={type} options={ACCOUNT_TYPES} onChange={(v) => change({ type: v })} />
        {narrowed ? <button type="button" onClick={() => change({ q: '', status: undefined, type: undefined })}>Clear search and filters</button> : null}
      </div>
      <ErrorNote error={list.error} id={ERROR_ID} />
      {list.loading && !list.data && !list.error ? <Loading what="Loading users" /> : null}
      {list.data && rows.length === 0 ? <NoUsers state={state} total={list.data.totalResults} onFirstPage={() => change({ start: 1 })} /> : null}
      {rows.length ? <UsersTable tenantId={ctx.tenantId} rows={rows} state={state} busy={list.loading} onSort={(column) => change(nextSort(state, column))} /> : null}
      {list.data && list.data.totalResults > 0 ? (
        <Pager startIndex={start} count={PAGE_SIZE} shown={rows.length} total={list.data.totalResults} label="users" onPage={(s) => change({ start: s })} />
      ) : null}
    </section>
  );
}

/** A select of canonical values with an "any" choice that removes the filter. */
function Choice({ label, any, value, options, onChange }: {
  label: string; any: string; value: string | undefined; options: readonly string[]; onChange: (value: string | undefined) => void;
}) {
  return (
    <label>
      {label}
      <select value={value ?? ''} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value || undefined)}>
        <option value="">{any}</option>
        {options.map((option) => <option key={option} value={option}>{option}</option>)}
      </select>
    </label>
  );
}

/** What an empty page means, and what to change: the search, a filter, or the page. */
function NoUsers({ state, total, onFirstPage }: { state: UserListState; total: number; onFirstPage: () => void }) {
  if (total > 0) {
    return <EmptyState title="This page is past the last user.">There are {total.toLocaleString('en')}; <button type="button" onClick={onFirstPage}>go to the first page</button>.</EmptyState>;
  }
  const conditions = [
    state.q ? `“${state.q}”` : undefined,
    state.status ? `status ${state.status}` : undefined,
    state.type ? `account type ${state.type}` : undefined,
  ].filter(Boolean);
  if (!conditions.length) {
    return <EmptyState title="This tenant has no users yet.">Users appear here when an identity provider provisions them (POST /Users).</EmptyState>;
  }
  return (
    <EmptyState title={`No user matches ${conditions.join(' with ')}.`}>
      {state.q ? 'The search looks for the text inside userName, given, family and formatted names, displayName and emails. ' : null}
      Try fewer letters, another status or account type, or clear the search and filters.
    </EmptyState>
  );
}
