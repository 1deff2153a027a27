import type { ChangedMember, ClientRecord, EventDraft, EventResource, PurgedUser, StoredResource, TenantRecord, TokenRecord, WebhookRecord } from '../../store/port';
import type { JsonObject } from '../../scim/values/json';

/**
 * What an event is about, named as a person reads it in a feed: a user by userName, a group
 * by displayName, a token, tenant or OAuth client by name. Only the id is stable; the name is the one the
 * resource had when the event occurred.
 */
export const userResource = (user: StoredResource): EventResource => ({ type: 'User', id: user.id, ...text('userName', user.data) });

export const erasedUserResource = (user: PurgedUser): EventResource => ({ type: 'User', id: user.id, userName: user.userName });

export const groupResource = (group: StoredResource): EventResource => ({ type: 'Group', id: group.id, ...text('displayName', group.data) });

export const tokenResource = (token: TokenRecord): EventResource => ({ type: 'Token', id: token.id, name: token.name });

export const tenantResource = (tenant: TenantRecord): EventResource => ({ type: 'Tenant', id: tenant.id, name: tenant.name });

/** An OAuth client by its id (the client_id an identity provider is configured with) and name. */
export const clientResource = (client: ClientRecord): EventResource => ({ type: 'Client', id: client.id, name: client.name });

/** A webhook has no name: its id is how the admin API addresses it. */
export const webhookResource = (webhook: WebhookRecord): EventResource => ({ type: 'Webhook', id: webhook.id });

export const memberOf = (member: ChangedMember): NonNullable<EventDraft['member']> =>
  ({ type: 'User', id: member.id, ...(member.userName === undefined ? {} : { userName: member.userName }) });

/** A string attribute under its own name, or nothing (a resource stored without one). */
function text<K extends string>(key: K, data: JsonObject): Partial<Record<K, string>> {
  const value = data[key];
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}
