import { forbidden, conflict, invalidValue, notFound } from '../scim/errors';
import type { JsonObject } from '../scim/values/json';
import type { Page, Store, TenantRecord, TenantSettings } from '../store/port';
import type { Principal } from '../domain/principal';
import { changeSettings, checkTenantName, noSuchTenant, DEFAULT_TENANT_ID, effectivePolicy, isTenantId, TENANT_ID_RULE, type PolicyDefaults, type TenantPolicy } from '../domain/tenancy';
import { asScimFailure } from './failures';
import { Tokens } from './tokens';
import { tokenRequest, tokenView, type TokenView } from './user-tokens';
import { journalOf } from './journals';

/** A tenant as the admin API shows it: its own settings, and the policy they give over the defaults. */
export interface TenantView {
  readonly id: string;
  readonly name: string;
  readonly created: string;
  readonly lastModified: string;
  /** The settings this tenant sets itself; every other one follows the server's default. */
  readonly settings: TenantSettings;
  /** Every setting, resolved (a retention sweep that is off shows "off"). */
  readonly effectiveSettings: Required<{ [K in keyof TenantSettings]: Exclude<TenantSettings[K], undefined> }>;
  readonly status: 'active' | 'deleting';
}

/** How many tenants one GET /admin/tenants page holds at most. */
export const MAX_TENANT_PAGE = 1000;
/** A forced delete re-runs the erase when a write that was under way landed after it. */
const ERASE_ATTEMPTS = 3;

const noTenant = (id: string) => notFound(noSuchTenant(id));

/** Tenant administration: operator tokens only (the bootstrap token, `tokens create --operator`). */
export class TenantAdmin {
  constructor(private readonly store: Store, private readonly defaults: PolicyDefaults, private readonly now: () => Date = () => new Date()) {}

  view(record: TenantRecord): TenantView {
    return {
      id: record.id, name: record.name, created: record.created, lastModified: record.lastModified,
      settings: record.settings, effectiveSettings: shown(effectivePolicy(record.settings, this.defaults)),
      status: record.deleting ? 'deleting' : 'active',
    };
  }

  async create(actor: Principal, body: JsonObject, requestId?: string): Promise<TenantView> {
    checkOperator(actor);
    if (!isTenantId(body.id)) throw invalidValue(`id must be a tenant id: ${TENANT_ID_RULE} (e.g. "acme")`);
    const name = body.name === undefined ? body.id : checkTenantName(body.name);
    const settings = body.settings === undefined ? {} : changeSettings({}, body.settings);
    return this.view(await this.store.tenants.create({ id: body.id, name, settings }, journalOf(actor, requestId)).catch(asScimFailure));
  }

  async list(actor: Principal, startIndex: number, count: number): Promise<Page<TenantView>> {
    checkOperator(actor);
    const page = await this.store.tenants.list(startIndex - 1, Math.min(count, MAX_TENANT_PAGE));
    return { total: page.total, items: page.items.map((t) => this.view(t)) };
  }

  async get(actor: Principal, id: string): Promise<TenantView> {
    checkOperator(actor);
    return this.view(await this.record(id));
  }

  /** `{"name": …, "settings": {"maxRoles": 10, "retentionDeletedDays": "off", "usernameImmutable": null}}`. */
  async update(actor: Principal, id: string, body: JsonObject, requestId?: string): Promise<TenantView> {
    checkOperator(actor);
    const unknown = Object.keys(body).filter((key) => key !== 'name' && key !== 'settings');
    if (unknown.length) throw invalidValue(`A tenant change takes name and settings, not ${unknown.join(', ')}`);
    const current = await this.record(id);
    const change = {
      ...(body.name === undefined ? {} : { name: checkTenantName(body.name) }),
      ...(body.settings === undefined ? {} : { settings: changeSettings(current.settings, body.settings) }),
    };
    const updated = await this.store.tenants.update(id, change, journalOf(actor, requestId));
    if (!updated) throw noTenant(id);
    return this.view(updated);
  }

  /**
   * Refuses while the tenant holds users or groups, unless `force`: then the tenant stops
   * serving at once (its tokens go first), its data is erased in batches, and its record last.
   * A delete cut short leaves the tenant "deleting"; deleting it again finishes the job.
   */
  async delete(actor: Principal, id: string, force: boolean): Promise<void> {
    checkOperator(actor);
    if (id === DEFAULT_TENANT_ID) throw conflict('The built-in tenant "default" cannot be deleted (it serves the SCIM base path)');
    const current = await this.record(id);
    if (!force && !current.deleting) {
      const { users, groups } = await this.store.tenants.contents(id);
      if (users + groups > 0) {
        throw conflict(`Tenant ${JSON.stringify(id)} holds ${users} user(s) and ${groups} group(s): delete them first, or send DELETE /admin/tenants/${id}?force=true to erase the tenant with everything in it`);
      }
    }
    await this.store.tenants.markDeleting(id, this.now().toISOString());
    for (let attempt = 1; ; attempt++) {
      await this.store.tenants.eraseData(id);
      const removed = await this.store.tenants.remove(id).then(() => true, (error: unknown) => {
        if (attempt >= ERASE_ATTEMPTS) throw error;
        return false;
      });
      if (!removed) continue;
      // A write that entered the tenant just before it was marked may land after the erase;
      // on a store without foreign keys (MongoDB) it would outlive the tenant: sweep once more.
      await this.store.tenants.eraseData(id);
      return;
    }
  }

  async createToken(actor: Principal, id: string, body: JsonObject, requestId?: string): Promise<TokenView & { tenantId: string; token: string }> {
    checkOperator(actor);
    const tenant = await this.record(id);
    if (tenant.deleting) throw noTenant(id);
    const { name, expiresInMs } = tokenRequest(body, 'service');
    const { token, secret } = await new Tokens(this.store.tenant(id, journalOf(actor, requestId)).tokens, this.now).create(name, expiresInMs);
    return { ...tokenView(token), tenantId: id, token: secret };
  }

  /** The tenant's service tokens (never a secret or hash), newest first. */
  async listTokens(actor: Principal, id: string): Promise<TokenView[]> {
    checkOperator(actor);
    await this.record(id);
    const tokens = await this.store.tenant(id, journalOf(actor)).tokens.list();
    return tokens.map(tokenView).sort((a, b) => b.created.localeCompare(a.created));
  }

  /** Revokes a service token of the tenant: it stops authenticating at once (its record stays, for the trail). */
  async revokeToken(actor: Principal, id: string, tokenId: string, requestId?: string): Promise<void> {
    checkOperator(actor);
    await this.record(id);
    const tokens = new Tokens(this.store.tenant(id, journalOf(actor, requestId)).tokens, this.now);
    const token = await tokens.get(tokenId);
    if (!token || token.userId !== undefined) throw notFound(`Tenant ${JSON.stringify(id)} has no service token with the id ${JSON.stringify(tokenId)}`);
    if (!token.revoked) await tokens.revoke(tokenId);
  }

  private async record(id: string): Promise<TenantRecord> {
    const record = isTenantId(id) ? await this.store.tenants.get(id) : undefined;
    if (!record) throw noTenant(id);
    return record;
  }
}

const shown = (policy: TenantPolicy): TenantView['effectiveSettings'] => ({
  maxRoles: policy.maxRoles,
  usernameImmutable: policy.usernameImmutable,
  requiredUserAttributes: [...policy.requiredUserAttributes],
  usernameFormat: policy.usernameFormat,
  retentionDeletedDays: policy.retentionDeletedDays ?? 'off',
  retentionInactiveDays: policy.retentionInactiveDays ?? 'off',
});

function checkOperator(actor: Principal): void {
  if (actor.kind !== 'operator') throw forbidden('Only an operator token manages tenants (the bootstrap token, or one from: npm run cli -- tokens create --operator --name <name>)');
}
