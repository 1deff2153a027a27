import { useEffect } from 'preact/hooks';
import type { FunctionComponent } from 'preact';
import { navigate, useRoute } from '../state/route';
import { tenantContext, useSession, type Session } from '../state/session';
import { ActivityPage } from './activity/activity-page';
import { WebhooksPage } from './activity/webhooks-page';
import { Layout } from './layout';
import { GroupPage } from './groups/group-page';
import { GroupsPage } from './groups/groups-page';
import type { SessionPageProps, TenantPageProps } from './page';
import { SignIn } from './sign-in';
import { Loading, EmptyState } from './common/states';
import { ClientsPage } from './tenants/clients-page';
import { TenantPage } from './tenants/tenant-page';
import { TenantsPage } from './tenants/tenants-page';
import { DeletedUsersPage } from './users/deleted-page';
import { UsersPage } from './users/users-page';
import { UserPage } from './user/user-page';

/** #/t/{tenant}/{section}[/{id}…]: the page of a section, and of one item when an id follows. */
const TENANT_PAGES: Record<string, { list: FunctionComponent<TenantPageProps>; item?: FunctionComponent<TenantPageProps> }> = {
  users: { list: UsersPage, item: UserPage },
  groups: { list: GroupsPage, item: GroupPage },
  activity: { list: ActivityPage },
  webhooks: { list: WebhooksPage, item: WebhooksPage },
  clients: { list: ClientsPage },
};

/** Where a token lands: operators on their tenants, others in their own tenant's users. */
const homeOf = (session: Session): string[] => (session.me.kind === 'operator' ? ['tenants'] : ['t', session.me.tenantId ?? 'default', 'users']);

export function App() {
  const { session, restoring } = useSession();
  const route = useRoute();
  const [first, tenantId, section, ...params] = route.segments;
  useEffect(() => {
    if (session && route.segments.length === 0) navigate(homeOf(session), {}, true);
  }, [session, route.segments.length]);
  if (restoring) return <Loading what="Signing in" />;
  if (!session) return <SignIn />;

  if (first === 'tenants') {
    const props: SessionPageProps = { session, route, params: route.segments.slice(1) };
    return <Layout session={session} section="tenants">{props.params.length ? <TenantPage {...props} /> : <TenantsPage {...props} />}</Layout>;
  }
  if (first === 't' && tenantId) {
    const pages = TENANT_PAGES[section ?? 'users'];
    const props: TenantPageProps = { ctx: tenantContext(session, tenantId), route, params };
    if (section === 'users' && params[0] === 'deleted') {
      return <Layout session={session} tenantId={tenantId} section="users"><DeletedUsersPage {...props} params={params.slice(1)} /></Layout>;
    }
    const Page = pages && (params.length && pages.item ? pages.item : pages.list);
    return (
      <Layout session={session} tenantId={tenantId} section={section ?? 'users'}>
        {Page ? <Page {...props} /> : <NotFound />}
      </Layout>
    );
  }
  return <Layout session={session} section=""><NotFound /></Layout>;
}

function NotFound() {
  return <EmptyState title="There is no such page.">Use the links above, or <a href="#/">go to the start</a>.</EmptyState>;
}
