import type { SchemaRegistry } from '../../../src/scim/schema/registry';
import type { Store } from '../../../src/store/port';

/** Scaffold: UserStore.createMany (issue 13, bulk import work). The helper doing that work writes these cases. */
export function batchCreateContract(getStore: () => Store, registry: SchemaRegistry): void {
  describe('UserStore.createMany (issue 13, bulk import work)', () => {
    it.todo('scaffold: cases to be written');
    void getStore;
    void registry;
  });
}
