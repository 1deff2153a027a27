import type { SchemaRegistry } from '../scim/schema/registry';
import type { ResourceValidator } from '../scim/schema/scimmy-validator';
import type { TenantStore } from '../store/port';
import { Clients } from './clients';
import type { RequestContext } from './context';
import { Groups } from './groups';
import type { ResourceEndpoint } from './resources/endpoint';
import { groupResource } from './resources/group-resource';
import { userResource } from './resources/user-resource';
import { EventFeed } from './event-feed';
import { FailureRecords } from './failure-log';
import { ActivityChart } from './activity';
import { Tokens } from './tokens';
import { Users } from './users';
import { Webhooks, type WebhookSettings } from './webhooks/webhooks';

/** What every tenant's directory shares: the schemas, their validators and the request limits. */
export interface DirectoryParts {
  readonly registry: SchemaRegistry;
  readonly validators: { readonly user: ResourceValidator; readonly group: ResourceValidator };
  readonly maxPatchOperations: number;
  readonly webhooks: WebhookSettings;
  readonly now?: () => Date;
}

/**
 * One tenant's directory as one request sees it: the use cases bound to the request context,
 * over the store scoped to that tenant (the only store they can reach).
 */
export interface Directory {
  readonly context: RequestContext;
  readonly accounts: Users;
  readonly users: ResourceEndpoint;
  readonly groups: ResourceEndpoint;
  /** Users, then Groups: the order of /.search and the types /Bulk accepts. */
  readonly endpoints: readonly ResourceEndpoint[];
  /** The tenant's tokens (service and user-bound). */
  readonly tokens: Tokens;
  /** The tenant's change events: the audit trail and the pull feed. */
  readonly events: EventFeed;
  /** The tenant's events and failed requests per hour: the activity chart. */
  readonly activity: ActivityChart;
  /** The tenant's failed requests: recorded for every caller, read by its administrators. */
  readonly failures: FailureRecords;
  readonly webhooks: Webhooks;
  /** The tenant's OAuth clients (client credentials) and their secrets. */
  readonly clients: Clients;
}

/**
 * Each use case is built when the request first asks for it: a GET of one user needs neither
 * the groups nor the tokens, and building everything for every request only made garbage.
 */
export function openDirectory(store: TenantStore, context: RequestContext, parts: DirectoryParts): Directory {
  const { registry, validators, maxPatchOperations, now } = parts;
  let events: EventFeed | undefined;
  let activity: ActivityChart | undefined;
  let failures: FailureRecords | undefined;
  let webhooks: Webhooks | undefined;
  let accounts: Users | undefined;
  let users: ResourceEndpoint | undefined;
  let groups: ResourceEndpoint | undefined;
  let tokens: Tokens | undefined;
  let clients: Clients | undefined;
  return {
    context,
    get accounts() {
      return (accounts ??= new Users(store, context.tenant.policy, now));
    },
    get users() {
      return (users ??= userResource(registry.user, this.accounts, validators.user, maxPatchOperations, context.actor));
    },
    get groups() {
      const writers = this.accounts;
      return (groups ??= groupResource(registry.group, new Groups(store, (actor) => writers.checkWriter(actor)), validators.group, maxPatchOperations, context.actor));
    },
    get endpoints() {
      return [this.users, this.groups];
    },
    get tokens() {
      const owners = this.accounts;
      return (tokens ??= new Tokens(store.tokens, now, (userId, issued) => owners.acceptsToken(userId, issued)));
    },
    get events() {
      return (events ??= new EventFeed(store.events, context.actor));
    },
    get activity() {
      return (activity ??= new ActivityChart(store.events, context.actor, now));
    },
    get failures() {
      return (failures ??= new FailureRecords(store.failures, context, now));
    },
    get webhooks() {
      return (webhooks ??= new Webhooks(store.webhooks, context.actor, parts.webhooks, now));
    },
    get clients() {
      return (clients ??= new Clients(store.clients, context.actor, now));
    },
  };
}
