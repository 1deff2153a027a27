import type { AttributeChange, Change, EventDraft } from '../../store/port';
import { getKey, type JsonObject } from '../../scim/values/json';
import { attributeChanges, byPath } from './attribute-changes';
import { erasedUserResource, userResource } from './event-resources';
import type { EventType } from './event-types';

type UserChange = Extract<Change, { of: 'user' }>;

/** A password is recorded only as having changed: never its value, never its hash. */
const PASSWORD_CHANGED: AttributeChange = { path: 'password', changed: true };

/** The events of a change of a user: one, or none for an update that changed nothing. */
export function userEvents(change: UserChange): EventDraft[] {
  switch (change.kind) {
    case 'created':
      // The whole state: a consumer acts on it (an activation email for a Pending account).
      return [{ type: 'user.created', resource: userResource(change.after), changes: withPassword(attributeChanges(undefined, change.after.data), change.passwordSet) }];
    case 'updated': {
      const changes = withPassword(attributeChanges(change.before.data, change.after.data), change.passwordChanged);
      if (changes.length === 0) return [];
      return [{ type: updateType(change.before.data, change.after.data), resource: userResource(change.after), changes }];
    }
    case 'deleted':
      return [{ type: 'user.deleted', resource: userResource(change.before) }];
    case 'restored':
      return [{ type: 'user.restored', resource: userResource(change.after) }];
    case 'erased':
      return [{ type: 'user.erased', resource: erasedUserResource(change.user) }];
  }
}

/**
 * Activation and deactivation are read from `active` alone. The account rules keep `active`
 * true exactly when the status (Account extension) is Active, so every move into or out of
 * Active changes it; the status moves that leave it false (Created → Pending, Created or
 * Pending → Inactive) give or take no access and are user.updated, their status change in
 * `changes`.
 */
function updateType(before: JsonObject, after: JsonObject): EventType {
  const was = getKey(before, 'active') === true;
  const is = getKey(after, 'active') === true;
  if (was && !is) return 'user.deactivated';
  if (!was && is) return 'user.activated';
  return 'user.updated';
}

function withPassword(changes: AttributeChange[], password: boolean): AttributeChange[] {
  if (!password) return changes;
  changes.push(PASSWORD_CHANGED);
  return changes.sort(byPath);
}
