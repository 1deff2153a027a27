import type { Store, TenantStore } from '../store/port';

/**
 * Counters this process moves on every store write that may end a credential, so that what
 * was read before a write (a token's verdict, a tenant's record) is known to be stale after it,
 * at once and without a list of call sites: the store the application uses is watched
 * (watchWrites), so every use case's writes move them, including ones not written yet.
 *
 * `credentials`: a write to tokens (tenant and operator), OAuth clients and their secrets, or
 * tenants. `accounts`: a write to users (a deactivation, deletion or expiry change ends that
 * user's tokens; service tokens do not depend on users, so they need not be re-read).
 * Writes by another process are not seen here: caches bound those by time (fresh-cache.ts).
 */
export class WriteGenerations {
  credentials = 0;
  accounts = 0;

  snapshot(): Generations {
    return { credentials: this.credentials, accounts: this.accounts };
  }
}

export interface Generations {
  readonly credentials: number;
  readonly accounts: number;
}

type Counter = keyof Generations;

/**
 * The methods of the watched parts that only read. Every other method counts as a write: a
 * write method added to the port later moves the counter without anyone remembering to say so
 * (a read missing here only costs a cache miss).
 */
const READS: ReadonlySet<string> = new Set(['get', 'list', 'listDeleted', 'listBootstrap', 'groupsOf', 'secrets', 'contents', 'findByHash', 'findClientSecret']);

/** Parts that hold nothing a credential depends on (groups, events, webhooks, outbox) are not watched; nor are
 * `credentials` (look-ups, and the last-used times they record). */
const TENANT_PARTS = { users: 'accounts', tokens: 'credentials', clients: 'credentials' } as const satisfies Partial<Record<keyof TenantStore, Counter>>;
const STORE_PARTS = { tenants: 'credentials', operators: 'credentials' } as const satisfies Partial<Record<keyof Store, Counter>>;

/**
 * The store, with the counters moved after each write to a watched part settles (succeeded or
 * failed: a failed write may have landed). After, not before: a read that starts between the
 * counter's move and the write's commit would see the old state under the new generation.
 * `tenant()` opens the store's port on every call (tests spy through it) and wraps that.
 */
export function watchWrites(store: Store, generations: WriteGenerations): Store {
  const watch = <T extends object>(part: T, counter: Counter): T => watchedPart(part, () => void generations[counter]++);
  return {
    description: store.description,
    tenant: (id, journal) => watchTenant(store.tenant(id, journal), generations),
    tenants: watch(store.tenants, STORE_PARTS.tenants),
    operators: watch(store.operators, STORE_PARTS.operators),
    credentials: store.credentials,
    outbox: store.outbox,
    close: () => store.close(),
    ...(store.ready ? { ready: () => store.ready!() } : {}),
  };
}

/** Each part wrapped when first asked for: a request that reads one user wraps the users only. */
function watchTenant(port: TenantStore, generations: WriteGenerations): TenantStore {
  let users: TenantStore['users'] | undefined;
  let tokens: TenantStore['tokens'] | undefined;
  let clients: TenantStore['clients'] | undefined;
  const moves = (counter: Counter) => () => void generations[counter]++;
  return {
    ...port,
    get users() {
      return (users ??= watchedPart(port.users, moves(TENANT_PARTS.users)));
    },
    get tokens() {
      return (tokens ??= watchedPart(port.tokens, moves(TENANT_PARTS.tokens)));
    },
    get clients() {
      return (clients ??= watchedPart(port.clients, moves(TENANT_PARTS.clients)));
    },
  };
}

/** A Proxy, as in instrumented-store.ts: a part may be a class instance as well as closures. */
function watchedPart<T extends object>(part: T, moved: () => void): T {
  return new Proxy(part, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string' || READS.has(key)) return value;
      return (...args: unknown[]) => afterwards(() => (value as (...a: unknown[]) => unknown).apply(target, args), moved);
    },
  });
}

function afterwards(write: () => unknown, moved: () => void): unknown {
  let result: unknown;
  try {
    result = write();
  } catch (error) {
    moved();
    throw error;
  }
  if (typeof (result as { then?: unknown } | null)?.then !== 'function') {
    moved();
    return result;
  }
  return (result as Promise<unknown>).finally(moved);
}
