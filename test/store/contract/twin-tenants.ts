import { DEFAULT_TENANT_ID, type Store, type TenantStore } from '../../../src/store/port';
import { byId } from './contract-support';
import { journal } from '../../support/journal';

/** The tenant every case runs in first, so that the tenant under test holds identical data beside it. */
export const TWIN_TENANT = 'twin';

type Step = () => Promise<void>;

/** The rows of a table as one tuple, column by column (the rows of an `as const` table are a union of tuples). */
type Columns<Row extends readonly unknown[]> = [Row] extends [readonly [unknown, unknown, unknown]] ? [Row[0], Row[1], Row[2]]
  : [Row] extends [readonly [unknown, unknown]] ? [Row[0], Row[1]]
    : Row[number][];

interface Scope {
  /** The tenant under test: `default` (there from the start) or one the case creates. */
  readonly subject: string;
  /** Run in each tenant before the body, as beforeEach would once. */
  readonly seeds: Step[];
}

export interface TwinOptions {
  readonly store: () => Store;
  /** Points the case bodies at `tenant`, with the counters that name their data reset. */
  readonly enter: (tenant: TenantStore) => void;
  /** User ids that tokens are bound to without being users of the tenant (snapshotted too). */
  readonly tokenOwners: readonly string[];
}

/**
 * Every case of a `describeIn` block runs twice on one store: first in the tenant `twin`, then,
 * with the same counters, in the tenant under test, so both hold identical data (the same
 * userNames, displayNames, memberships). The second run proves what nothing else can: exact
 * totals and lists see no other tenant's rows, uniqueness is per tenant, and, by comparing a
 * snapshot of `twin` taken between the runs with one taken after, that no write crossed over.
 */
export function twinTenants(options: TwinOptions) {
  let defining: Scope | undefined;
  const scope = () => {
    if (!defining) throw new Error('A twin-tenant case must be declared inside describeIn');
    return defining;
  };

  const describeIn = (title: string, subject: string, body: () => void) =>
    describe(`${title} (in ${subject}, after the same in ${TWIN_TENANT})`, () => {
      const outer = defining;
      defining = { subject, seeds: [...(outer?.seeds ?? [])] };
      try {
        body();
      } finally {
        defining = outer;
      }
    });

  /** Like beforeEach, but run in each tenant the case runs in, right before its body. */
  const seedEach = (seed: Step) => {
    scope().seeds.push(seed);
  };

  const runIn = async (tenant: TenantStore, where: Scope, body: Step) => {
    options.enter(tenant);
    try {
      for (const seed of where.seeds) await seed();
      await body();
    } catch (error) {
      throw explained(error, tenant.tenantId === TWIN_TENANT
        ? `In tenant "${TWIN_TENANT}" (the first run)`
        : `In tenant "${tenant.tenantId}" (the second run, beside "${TWIN_TENANT}" holding the same data)`);
    }
  };

  const runTwice = async (where: Scope, body: Step) => {
    const store = options.store();
    await store.tenants.create({ id: TWIN_TENANT, name: 'Twin', settings: {} }, journal);
    if (where.subject !== DEFAULT_TENANT_ID) await store.tenants.create({ id: where.subject, name: where.subject, settings: {} }, journal);
    await runIn(store.tenant(TWIN_TENANT, journal), where, body);
    const before = await tenantSnapshot(store, TWIN_TENANT, options.tokenOwners);
    await runIn(store.tenant(where.subject, journal), where, body);
    const after = await tenantSnapshot(store, TWIN_TENANT, options.tokenOwners);
    try {
      expect(after).toEqual(before);
    } catch (error) {
      throw explained(error, `The run in "${where.subject}" changed "${TWIN_TENANT}"`);
    }
  };

  /** A case run in both tenants. */
  const both = (title: string, body: Step, timeout?: number) => {
    const where = scope();
    it(title, () => runTwice(where, body), timeout);
  };

  /** A table of cases (as it.each takes), each run in both tenants. */
  const bothEach = <Row extends readonly unknown[] | [unknown]>(table: readonly Row[]) => (title: string, body: (...row: Columns<Row>) => Promise<void>) => {
    const where = scope();
    it.each(table.map((row) => [...row] as unknown[]))(title, (...row) => runTwice(where, () => body(...(row as Columns<Row>))));
  };

  return { describeIn, seedEach, both, bothEach };
}

/**
 * Everything a tenant holds that the port shows: live users with their groups, groups with
 * their members, service tokens and each user's tokens, and the counts (soft-deleted users
 * included). Sorted by id, so equal contents give equal snapshots.
 */
export async function tenantSnapshot(store: Store, tenantId: string, tokenOwners: readonly string[] = []) {
  const tenant = store.tenant(tenantId, journal);
  const users = byId((await tenant.users.list({ offset: 0, limit: 1_000_000 })).items);
  const groups = byId((await tenant.groups.list({ offset: 0, limit: 1_000_000 })).items);
  const groupsOf = await tenant.users.groupsOf(users.map((u) => u.id));
  const membersOf = await tenant.groups.membersOf(groups.map((g) => g.id));
  const userTokens: Record<string, unknown> = {};
  for (const owner of [...users.map((u) => u.id), ...tokenOwners]) {
    const tokens = await tenant.tokens.list(owner);
    if (tokens.length > 0) userTokens[owner] = byId(tokens);
  }
  return {
    contents: await store.tenants.contents(tenantId),
    users: users.map((user) => ({ ...user, groups: groupsOf.get(user.id) ?? [] })),
    groups: groups.map((group) => ({ ...group, members: byId(membersOf.get(group.id) ?? []) })),
    serviceTokens: byId(await tenant.tokens.list()),
    userTokens,
  };
}

/** The error, its message (and stack, which Jest prints) led by where it happened. */
function explained(error: unknown, where: string): unknown {
  if (!(error instanceof Error)) return error;
  // The stack is rendered from the message when first read: read it before changing the message.
  const { message, stack } = error;
  error.message = `${where}: ${message}`;
  if (stack?.includes(message)) error.stack = stack.replace(message, error.message);
  return error;
}
