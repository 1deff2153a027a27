import { hrefOf } from '../../state/route';
import type { TenantPageProps } from '../page';
import { Tabs } from '../common/tabs';
import { ActivityOverview } from './activity-overview';
import { EventFeed } from './event-feed';
import { FailuresList } from './failures-list';
import './activity.css';

/**
 * #/t/{tenant}/activity: what happened in the tenant and when. The hourly chart on top answers
 * "did the identity provider stop pushing, or start failing?"; below it, the event feed (who
 * changed what) and the failed requests (why a push failed), each with an address of its own.
 */
export function ActivityPage({ ctx, route }: TenantPageProps) {
  const view = route.query.get('view') === 'failures' ? 'failures' : 'events';
  const tabs = [
    { id: 'events', label: 'Events', href: hrefOf(['t', ctx.tenantId, 'activity'], { view: 'events' }) },
    { id: 'failures', label: 'Failed requests', href: hrefOf(['t', ctx.tenantId, 'activity'], { view: 'failures' }) },
  ];
  return (
    <div class="activity-page">
      <h1>Activity</h1>
      <ActivityOverview ctx={ctx} />
      <Tabs tabs={tabs} current={view} />
      {view === 'failures' ? <FailuresList ctx={ctx} route={route} /> : <EventFeed ctx={ctx} route={route} />}
    </div>
  );
}
