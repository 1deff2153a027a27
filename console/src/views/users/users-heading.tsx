import { hrefOf } from '../../state/route';
import { Tabs } from '../common/tabs';

/** The title of the users pages, with the live and deleted lists as tabs beside it. */
export function UsersHeading({ tenantId, current }: { tenantId: string; current: 'all' | 'deleted' }) {
  return (
    <div class="users-heading">
      <h1>{current === 'deleted' ? 'Deleted users' : 'Users'}</h1>
      <Tabs current={current} tabs={[
        { id: 'all', label: 'All users', href: hrefOf(['t', tenantId, 'users']) },
        { id: 'deleted', label: 'Deleted users', href: hrefOf(['t', tenantId, 'users', 'deleted']) },
      ]} />
    </div>
  );
}
