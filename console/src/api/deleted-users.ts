import { call, type Query } from './http';
import type { ListPage, ListParameters, Resource } from './scim';

/**
 * A tenant's soft-deleted users (src/http/admin-users.ts): listed exactly as GET /Users lists
 * users, each with meta.deleted, and restored one at a time with their groups. `admin` is the
 * tenant's admin path (/admin/tenants/{id}).
 */
export const listDeletedUsers = (token: string, admin: string, parameters: ListParameters): Promise<ListPage> =>
  call<ListPage>(token, 'GET', `${admin}/users/deleted`, { query: parameters as Query }).then((a) => a.body);

/**
 * Brings a deleted user back; the answer is the user as GET /Users/{id} now shows it. A 409
 * means a live account has taken its userName since (the server's sentence says which).
 */
export const restoreUser = (token: string, admin: string, id: string): Promise<Resource> =>
  call<Resource>(token, 'POST', `${admin}/users/restore`, { body: { id } }).then((a) => a.body);
