import type { mongo } from 'mongoose';
import type { ResourceType } from '../../scim/schema/definitions';
import type { DeletedUser, UserStore } from '../port';
import { compileFilter, type RelationResolver } from './compile-filter';
import { compileSort, cursorPage } from './compile-sort';
import type { UserDocument } from './documents';
import { listPage } from './models';
import { toUser } from './mongo-user-lifecycle';
import { storedCount } from './resource-counts';
import type { ScopedCollections } from './scoped-collection';

/** The soft-deleted users: `live` is false exactly while a user is deleted (documents.ts). */
const SOFT_DELETED = { live: false } as const;

const toDeletedUser = (document: UserDocument): DeletedUser => ({ ...toUser(document), deletedAt: String(document.deletedAt) });

/**
 * Soft-deleted users of one tenant, listed as the live list is (mongo-users.ts): the same
 * filters, sorts, offsets and cursors, with `live: false` where the live list has `live: true`.
 * The unfiltered total is the tenant's kept one (resource-counts.ts); a filtered one is counted.
 * The listing indexes lead with {tenantId, live}, so a count reads the index keys of the
 * deleted users only ({live, created, _id}: COUNT_SCAN) and the default order, or
 * sortBy=meta.created, walks the same keys; the other sorts are those of the live list.
 */
export function mongoDeletedUsers(c: ScopedCollections, userType: ResourceType, relations: RelationResolver): UserStore['listDeleted'] {
  return async (query) => {
    const filter = query.filter ? await compileFilter(userType, query.filter, relations) : undefined;
    const match = (filter ? { $and: [SOFT_DELETED, filter] } : SOFT_DELETED) as mongo.Filter<UserDocument>;
    const page = query.after ? cursorPage : listPage;
    const storedTotal = filter ? undefined : () => storedCount(c.eventSequences, 'deleted_users');
    return page(c.users, match, query, () => compileSort(userType, query.sort), toDeletedUser, storedTotal);
  };
}
