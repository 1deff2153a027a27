import { performance } from 'node:perf_hooks';
import type { Store, TenantStore } from './port';

/** Told of every store operation: its name (`users.list`, `outbox.claim`…) and how long it took. */
export type ObserveOperation = (operation: string, seconds: number) => void;

const TENANT_PARTS = ['users', 'groups', 'tokens', 'clients', 'events', 'webhooks', 'failures'] as const;
const STORE_PARTS = ['tenants', 'operators', 'credentials', 'outbox'] as const;

/**
 * The store, with every operation of its parts timed: a decorator over the port, so neither
 * adapter knows of it and both are measured alike. An operation is timed until its promise
 * settles, whether it succeeds or fails; its name is the part and the method, a bounded set
 * (the port's), never an argument. `tenant()`, `ready()` and `close()` are passed through.
 */
export function instrumentStore(store: Store, observe: ObserveOperation): Store {
  const parts = Object.fromEntries(STORE_PARTS.map((part) => [part, timedPart(store[part], part, observe)]));
  return {
    ...parts,
    description: store.description,
    tenant: (id, journal) => instrumentTenant(store.tenant(id, journal), observe),
    close: () => store.close(),
    ...(store.ready ? { ready: () => store.ready!() } : {}),
  } as Store;
}

function instrumentTenant(port: TenantStore, observe: ObserveOperation): TenantStore {
  const parts = Object.fromEntries(TENANT_PARTS.map((part) => [part, timedPart(port[part], part, observe)]));
  return { ...port, ...parts } as TenantStore;
}

/**
 * A view of one part whose methods are timed. A Proxy rather than a copy: an adapter's part may
 * be a class instance (methods on its prototype) as well as an object of closures; each method
 * still runs on the part itself.
 */
function timedPart<T extends object>(part: T, name: string, observe: ObserveOperation): T {
  // One wrapper per method, made again only if the part's method itself was replaced.
  const wrapped = new Map<string, { readonly method: unknown; readonly timed: unknown }>();
  return new Proxy(part, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      const known = wrapped.get(key);
      if (known?.method === value) return known.timed;
      const timed = timedMethod(value as (...args: unknown[]) => unknown, target, `${name}.${key}`, observe);
      wrapped.set(key, { method: value, timed });
      return timed;
    },
  });
}

function timedMethod(method: (...args: unknown[]) => unknown, target: object, operation: string, observe: ObserveOperation) {
  return (...args: unknown[]): unknown => {
    const started = performance.now();
    const done = () => observe(operation, (performance.now() - started) / 1000);
    let result: unknown;
    try {
      result = method.apply(target, args);
    } catch (error) {
      done();
      throw error;
    }
    if (!isThenable(result)) {
      done();
      return result;
    }
    return result.then(
      (value) => {
        done();
        return value;
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
  };
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';
