import type { RequirableUserAttribute, UsernameFormat } from '../config/config';
import type { Journal } from './events-port';
import type { Page } from './port';

/** The tenant registry's part of the store port (re-exported by port.ts). */

/** The built-in tenant: `{SCIM_BASE_PATH}` serves it; it exists in every store and cannot be deleted. */
export const DEFAULT_TENANT_ID = 'default';

/**
 * A tenant's own account policy: only the settings an operator set for it. A setting left out
 * follows the server's environment variable (MAX_ROLES, USERNAME_IMMUTABLE,
 * REQUIRED_USER_ATTRIBUTES, USERNAME_FORMAT, RETENTION_DELETED_DAYS, RETENTION_INACTIVE_DAYS);
 * 'off' turns a retention sweep off, and an empty requiredUserAttributes requires only userName.
 */
export interface TenantSettings {
  readonly maxRoles?: number;
  readonly usernameImmutable?: boolean;
  readonly requiredUserAttributes?: RequirableUserAttribute[];
  readonly usernameFormat?: UsernameFormat;
  readonly retentionDeletedDays?: number | 'off';
  readonly retentionInactiveDays?: number | 'off';
}

export interface TenantRecord {
  readonly id: string;
  readonly name: string;
  readonly created: string;
  readonly lastModified: string;
  readonly settings: TenantSettings;
  /**
   * Set (to when it began) while a forced delete erases the tenant's data: the tenant serves
   * nothing, and its id is not free again until the record is removed.
   */
  readonly deleting?: string;
}

/** A tenant id is taken (by a live tenant or one being deleted). */
export class TenantExists extends Error {
  constructor(readonly id: string) {
    super(`A tenant with the id ${JSON.stringify(id)} already exists`);
    this.name = 'TenantExists';
  }
}

/** The tenants themselves (the registry, not their data). */
export interface TenantRegistry {
  /** Throws TenantExists when the id is taken. Records tenant.created, the first event of its stream. */
  create(tenant: { readonly id: string; readonly name: string; readonly settings: TenantSettings }, journal: Journal): Promise<TenantRecord>;
  get(id: string): Promise<TenantRecord | undefined>;
  /** In id order; `total` counts every tenant. */
  list(offset: number, limit: number): Promise<Page<TenantRecord>>;
  /** Replaces the name and/or the whole settings object (recording tenant.updated); undefined when there is no such tenant. */
  update(id: string, change: { readonly name?: string; readonly settings?: TenantSettings }, journal: Journal): Promise<TenantRecord | undefined>;
  /** How many users (soft-deleted ones included) and groups the tenant holds. */
  contents(id: string): Promise<{ readonly users: number; readonly groups: number }>;
  /** Sets `deleting` (keeping an earlier time); undefined when there is no such tenant. */
  markDeleting(id: string, at: string): Promise<TenantRecord | undefined>;
  /**
   * Erases every token, membership, user, group, event, webhook and delivery of the tenant, in batches that each hold the
   * process briefly (yielding to other requests between them). Idempotent: an erase cut short
   * is finished by calling it again.
   */
  eraseData(id: string): Promise<void>;
  /** Removes the tenant's record (after eraseData); false when there was none. */
  remove(id: string): Promise<boolean>;
}
