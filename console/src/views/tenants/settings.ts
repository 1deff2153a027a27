import type { SettingName, SettingsChange, Tenant } from '../../api/tenants';

/**
 * The per-tenant settings as the form shows them (src/domain/tenancy.ts holds the rules). The
 * form converts what was typed only as far as JSON needs (a number, a boolean, a list) and leaves
 * every judgement to the server, whose sentence is then shown beside the setting.
 */
export type SettingKind = 'count' | 'days' | 'boolean' | 'usernameFormat' | 'attributes';

export interface SettingSpec {
  readonly name: SettingName;
  readonly label: string;
  readonly help: string;
  readonly kind: SettingKind;
}

/** The attributes a tenant may require beside userName (REQUIRABLE_USER_ATTRIBUTES on the server). */
export const REQUIRABLE_ATTRIBUTES = ['name.givenName', 'name.familyName', 'emails'] as const;

export const SETTINGS: readonly SettingSpec[] = [
  { name: 'maxRoles', label: 'Maximum roles per user', kind: 'count', help: 'How many roles one user may hold (0 to 1000).' },
  { name: 'usernameImmutable', label: 'userName cannot change', kind: 'boolean', help: 'Whether a userName is fixed once the user exists.' },
  { name: 'requiredUserAttributes', label: 'Required attributes', kind: 'attributes', help: 'What every user must have beside userName.' },
  { name: 'usernameFormat', label: 'userName format', kind: 'usernameFormat', help: 'Any string, or an email address.' },
  { name: 'retentionDeletedDays', label: 'Erase deleted users after (days)', kind: 'days', help: 'Days a deleted user can still be restored (1 to 36500), or off.' },
  { name: 'retentionInactiveDays', label: 'Delete inactive users after (days)', kind: 'days', help: 'Days before an Inactive user is deleted (1 to 36500), or off.' },
];

/** One setting being edited: the server's default, or the tenant's own value as typed. */
export interface Draft {
  readonly useDefault: boolean;
  /** count, days, boolean, usernameFormat: the text or option chosen. */
  readonly text: string;
  /** attributes: the ones ticked. */
  readonly attributes: readonly string[];
}

export type Drafts = Record<SettingName, Draft>;

/** The form as the tenant stands: its own values, else the effective value to start editing from. */
export function draftsOf(tenant: Tenant): Drafts {
  const drafts = {} as Record<SettingName, Draft>;
  for (const { name } of SETTINGS) {
    const own = tenant.settings[name];
    const value = own ?? tenant.effectiveSettings[name];
    drafts[name] = { useDefault: own === undefined, text: Array.isArray(value) ? '' : String(value), attributes: Array.isArray(value) ? value : [] };
  }
  return drafts;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** What a draft sends: numbers as numbers, "off" as is, anything else as typed, for the server to judge. */
function valueOf(kind: SettingKind, draft: Draft): unknown {
  const text = draft.text.trim();
  switch (kind) {
    case 'count':
    case 'days':
      return NUMBER.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'attributes':
      return REQUIRABLE_ATTRIBUTES.filter((a) => draft.attributes.includes(a));
    default:
      return text;
  }
}

/** Only what differs from the tenant's own settings: null returns a setting to the server's default. */
export function changeOf(tenant: Tenant, drafts: Drafts): SettingsChange {
  const change: Record<string, unknown> = {};
  for (const { name, kind } of SETTINGS) {
    const own = tenant.settings[name];
    const draft = drafts[name];
    if (draft.useDefault) {
      if (own !== undefined) change[name] = null;
      continue;
    }
    const value = valueOf(kind, draft);
    if (JSON.stringify(value) !== JSON.stringify(own)) change[name] = value;
  }
  return change;
}

/** A value as an admin reads it. */
export function shownValue(kind: SettingKind, value: unknown): string {
  if (kind === 'attributes' && Array.isArray(value)) return value.length ? value.join(', ') : 'none (only userName)';
  if (kind === 'boolean') return value === true ? 'yes' : value === false ? 'no' : String(value);
  if (kind === 'days') return value === 'off' ? 'off (never)' : `${String(value)} days`;
  return String(value);
}
