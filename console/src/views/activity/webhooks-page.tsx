import type { TenantPageProps } from '../page';
import { WebhookDetail } from './webhook-detail';
import { WebhookList } from './webhook-list';
import './activity.css';

/** #/t/{tenant}/webhooks (the list) and #/t/{tenant}/webhooks/{id} (one webhook and its deliveries). */
export function WebhooksPage({ ctx, route, params }: TenantPageProps) {
  return params[0] ? <WebhookDetail ctx={ctx} route={route} id={params[0]} /> : <WebhookList ctx={ctx} />;
}
