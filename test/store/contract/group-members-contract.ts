import type { SchemaRegistry } from '../../../src/scim/schema/registry';
import type { Store } from '../../../src/store/port';

/** Scaffold: GroupStore.membersPage (issue 13, large groups work). The helper doing that work writes these cases. */
export function groupMembersContract(getStore: () => Store, registry: SchemaRegistry): void {
  describe('GroupStore.membersPage (issue 13, large groups work)', () => {
    it.todo('scaffold: cases to be written');
    void getStore;
    void registry;
  });
}
