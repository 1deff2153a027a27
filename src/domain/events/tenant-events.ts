import type { Change, EventDraft, TenantRecord } from '../../store/port';
import type { JsonObject } from '../../scim/values/json';
import { attributeChanges } from './attribute-changes';
import { tenantResource } from './event-resources';
import { withoutUndefined } from './json-record';

type TenantChange = Extract<Change, { of: 'tenant' }>;

/** The event of a change of a tenant: its name, and each setting as `settings.<key>`. */
export function tenantEvents(change: TenantChange): EventDraft[] {
  if (change.kind === 'created') {
    return [{ type: 'tenant.created', resource: tenantResource(change.after), changes: attributeChanges(undefined, described(change.after)) }];
  }
  const changes = attributeChanges(described(change.before), described(change.after));
  return changes.length === 0 ? [] : [{ type: 'tenant.updated', resource: tenantResource(change.after), changes }];
}

/** What a tenant's events describe: not its id (the resource's), timestamps or `deleting`. */
const described = (tenant: TenantRecord): JsonObject => ({ name: tenant.name, settings: withoutUndefined({ ...tenant.settings }) });
