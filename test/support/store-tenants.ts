import { DEFAULT_TENANT_ID, type Store } from '../../src/store/port';
import { journal } from './journal';

/** The built-in tenant (which a fresh SQLite store already has) and `others`, created in `store`. */
export async function withTenants(store: Store, ...others: string[]): Promise<void> {
  if (!(await store.tenants.get(DEFAULT_TENANT_ID))) await store.tenants.create({ id: DEFAULT_TENANT_ID, name: 'Default', settings: {} }, journal);
  for (const id of others) await store.tenants.create({ id, name: id[0].toUpperCase() + id.slice(1), settings: {} }, journal);
}
