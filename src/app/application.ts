import type { Config } from '../config/config';
import { mayEnter, type Principal } from '../domain/principal';
import { effectivePolicy, isTenantId, noSuchTenant, type PolicyDefaults } from '../domain/tenancy';
import { notFound, unauthorized } from '../scim/errors';
import type { SchemaRegistry } from '../scim/schema/registry';
import { scimmyValidator } from '../scim/schema/scimmy-validator';
import type { Store, TenantRecord } from '../store/port';
import type { Authentication } from './authenticate';
import { CredentialCache } from './credential-cache';
import { FreshCache } from './fresh-cache';
import type { RequestContext, Tenant } from './context';
import { openDirectory, type Directory, type DirectoryParts } from './directory';
import { journalOf } from './journals';
import { OAuthTokens } from './oauth-token';
import { RetentionSweep } from './retention';
import { TenantAdmin } from './tenants';
import { Tokens } from './tokens';
import { UserTokens } from './user-tokens';
import { watchWrites, WriteGenerations } from './write-generations';

/** The server's defaults for every tenant's policy: the environment variables. */
export const policyDefaultsOf = (config: Pick<Config, 'maxRoles' | 'usernameImmutable' | 'requiredUserAttributes' | 'usernameFormat' | 'retentionDeletedDays' | 'retentionInactiveDays'>): PolicyDefaults => ({
  maxRoles: config.maxRoles,
  usernameImmutable: config.usernameImmutable,
  requiredUserAttributes: config.requiredUserAttributes,
  usernameFormat: config.usernameFormat,
  retentionDeletedDays: config.retentionDeletedDays,
  retentionInactiveDays: config.retentionInactiveDays,
});

/** Tenants remembered at once (fresh-cache.ts); past it the oldest go first. */
const MAX_TENANTS = 1000;

/** Said alike whether the tenant exists or not, so a token cannot probe for other tenants. */
const NOT_HERE = 'The bearer token is not valid for this tenant';

export interface ApplicationOptions {
  readonly store: Store;
  readonly registry: SchemaRegistry;
  readonly config: Config;
  readonly now?: () => Date;
}

/**
 * The application layer as one object: authentication, entering a tenant (which yields the
 * request's directory of use cases), tenant administration and retention. The HTTP layer and
 * the CLI call nothing else.
 */
export class Application {
  readonly defaults: PolicyDefaults;
  readonly registry: SchemaRegistry;
  readonly tenants: TenantAdmin;
  readonly retention: RetentionSweep;
  /** Operator tokens (no tenant). */
  readonly operatorTokens: Tokens;
  /** POST /oauth/token: access tokens for OAuth clients (client credentials). */
  readonly oauth: OAuthTokens;
  private readonly parts: DirectoryParts;
  private readonly store: Store;
  private readonly now: () => Date;
  private readonly credentials: CredentialCache;
  /** Tenant records as `enter` last read them: every request enters one. */
  private readonly tenantRecords: FreshCache<string, TenantRecord>;

  constructor({ store, registry, config, now = () => new Date() }: ApplicationOptions) {
    // Every use case writes through this one watched store: any write that may end a token or
    // change a tenant makes what was remembered of them stale at once (write-generations.ts).
    const generations = new WriteGenerations();
    this.store = watchWrites(store, generations);
    this.credentials = new CredentialCache(this.store, generations, now);
    this.tenantRecords = new FreshCache(generations, (_record, g) => g.credentials, MAX_TENANTS);
    this.registry = registry;
    this.now = now;
    this.defaults = policyDefaultsOf(config);
    this.parts = {
      registry,
      validators: { user: scimmyValidator(registry.user, config), group: scimmyValidator(registry.group, config) },
      maxPatchOperations: config.maxPatchOperations,
      webhooks: { allowPrivate: config.webhookAllowPrivate },
      now,
    };
    this.tenants = new TenantAdmin(this.store, this.defaults, now);
    this.retention = new RetentionSweep(this.store, registry.user, this.defaults, now, config.eventsRetentionDays);
    this.operatorTokens = new Tokens(this.store.operators, now);
    this.oauth = new OAuthTokens(this.store, config.oauthTokenTtlMs, now);
  }

  /** Who a bearer secret is (remembered for up to a second, see credential-cache.ts). */
  authenticate(secret: string): Promise<Authentication> {
    return this.credentials.authenticate(secret);
  }

  /**
   * The context of a request by `actor` in tenant `tenantId`, or the reason it has none: a
   * token of another tenant is 401 (whether this one exists or not); an operator naming a
   * tenant that does not exist (or is being deleted) is 404.
   */
  async enter(actor: Principal, tenantId: string, requestId: string): Promise<Directory> {
    if (!mayEnter(actor, tenantId)) throw unauthorized(NOT_HERE);
    // An id that cannot be a tenant's is not looked up.
    const record = isTenantId(tenantId) ? await this.tenantRecord(tenantId) : undefined;
    if (!record || record.deleting) {
      if (actor.kind !== 'operator') throw unauthorized(NOT_HERE);
      throw notFound(`${noSuchTenant(tenantId)}${record ? ' (it is being deleted)' : ''}`);
    }
    return this.directory({ tenant: this.tenantOf(record), actor, requestId });
  }

  /** Remembered as tokens are: forgotten at once on a write to tenants here, within FRESH_MS of one elsewhere. */
  private async tenantRecord(id: string): Promise<TenantRecord | undefined> {
    const now = this.now();
    const remembered = this.tenantRecords.read(id, now);
    if (remembered) return remembered;
    const stamp = this.tenantRecords.stamp(now);
    const record = await this.store.tenants.get(id);
    if (record) this.tenantRecords.keep(id, record, stamp);
    return record;
  }

  directory(context: RequestContext): Directory {
    return openDirectory(this.store.tenant(context.tenant.id, journalOf(context.actor, context.requestId)), context, this.parts);
  }

  userTokens(directory: Directory): UserTokens {
    return new UserTokens(directory);
  }

  tenantOf(record: TenantRecord): Tenant {
    return { id: record.id, name: record.name, policy: effectivePolicy(record.settings, this.defaults) };
  }
}
