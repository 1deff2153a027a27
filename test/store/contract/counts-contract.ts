import type { SchemaRegistry } from '../../../src/scim/schema/registry';
import type { Store } from '../../../src/store/port';

/** Scaffold: exact totals kept with the writes (issue 13, counts work). The helper doing that work writes these cases. */
export function countsContract(getStore: () => Store, registry: SchemaRegistry): void {
  describe('exact totals kept with the writes (issue 13, counts work)', () => {
    it.todo('scaffold: cases to be written');
    void getStore;
    void registry;
  });
}
