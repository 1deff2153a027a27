import { ACCOUNT_TYPES, SORTABLE, STATUSES, type SortKey, type SortOrder } from '../../api/user-search';
import { navigate, type Route } from '../../state/route';

/** Users shown on one page of a list. */
export const PAGE_SIZE = 50;

/**
 * A users list's state, kept in the address (#/t/acme/users?q=ada&status=Inactive&sortBy=userName
 * &sortOrder=descending&start=51): Back returns to the same page, and a screen can be bookmarked
 * or pasted into a ticket. Values the list does not know are ignored rather than sent.
 */
export interface UserListState {
  readonly q: string;
  readonly status?: string;
  readonly type?: string;
  readonly sortBy?: SortKey;
  readonly sortOrder: SortOrder;
  readonly start: number;
}

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  values.find((v) => v === value);

export function listStateOf(route: Route): UserListState {
  const q = route.query;
  return {
    q: q.get('q') ?? '',
    status: oneOf(STATUSES, q.get('status')),
    type: oneOf(ACCOUNT_TYPES, q.get('type')),
    sortBy: oneOf(SORTABLE, q.get('sortBy')),
    sortOrder: q.get('sortOrder') === 'descending' ? 'descending' : 'ascending',
    start: Math.max(1, Math.floor(Number(q.get('start'))) || 1),
  };
}

/** The address query of a state: defaults left out, so the plain list's address stays #/t/acme/users. */
export function queryOf(state: UserListState): Record<string, string | number | undefined> {
  return {
    q: state.q || undefined,
    status: state.status,
    type: state.type,
    sortBy: state.sortBy,
    sortOrder: state.sortBy && state.sortOrder === 'descending' ? 'descending' : undefined,
    start: state.start > 1 ? state.start : undefined,
  };
}

/**
 * Moves the list to a new state. Any change but a page turn starts again at the first page.
 * `replace`: typing in the search box replaces the entry instead of adding one per pause.
 */
export function changeList(segments: readonly string[], state: UserListState, changes: Partial<UserListState>, replace = false): void {
  const start = 'start' in changes ? changes.start ?? 1 : 1;
  navigate(segments, queryOf({ ...state, ...changes, start }), replace);
}

/** The next order when a column header is pressed: the same column reverses, another starts in its natural order. */
export function nextSort(state: UserListState, column: SortKey): Pick<UserListState, 'sortBy' | 'sortOrder'> {
  if (state.sortBy === column) return { sortBy: column, sortOrder: state.sortOrder === 'ascending' ? 'descending' : 'ascending' };
  // The most recently changed users first is what an admin looks for after a push.
  return { sortBy: column, sortOrder: column === 'meta.lastModified' ? 'descending' : 'ascending' };
}
