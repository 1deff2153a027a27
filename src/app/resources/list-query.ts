import type { ListRequest } from '../../scim/list/list-request';
import type { ListQuery } from '../../store/port';

/** SCIM's 1-based startIndex and count, as the store's offset and limit; a cursor's position as `after`. */
export const toListQuery = (request: ListRequest): ListQuery => ({
  filter: request.filter,
  sort: request.sort,
  offset: request.startIndex - 1,
  limit: request.count,
  ...(request.cursor ? { after: request.cursor.after } : {}),
});
