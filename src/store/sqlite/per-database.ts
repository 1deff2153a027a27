import type { Db } from './open-database';

/**
 * Makes `prepare` run once per database connection. The adapters' statements bind the tenant as
 * a parameter, so every tenant shares one set: scoping the store to a tenant (once per request)
 * builds a few closures instead of preparing a dozen statements.
 */
export function perDatabase<T>(prepare: (db: Db) => T): (db: Db) => T {
  const prepared = new WeakMap<Db, T>();
  return (db) => {
    let value = prepared.get(db);
    if (value === undefined) {
      value = prepare(db);
      prepared.set(db, value);
    }
    return value;
  };
}
