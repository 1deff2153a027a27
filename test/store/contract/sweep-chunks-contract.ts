import type { SchemaRegistry } from '../../../src/scim/schema/registry';
import type { Store } from '../../../src/store/port';

/** Scaffold: sweeps in chunks (issue 13, sweeps work). The helper doing that work writes these cases. */
export function sweepChunksContract(getStore: () => Store, registry: SchemaRegistry): void {
  describe('sweeps in chunks (issue 13, sweeps work)', () => {
    it.todo('scaffold: cases to be written');
    void getStore;
    void registry;
  });
}
