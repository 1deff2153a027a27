import { listTenants } from '../../api/tenants';
import { hrefOf, navigate } from '../../state/route';
import { useLoad } from '../../state/use-load';
import type { SessionPageProps } from '../page';
import { Pager } from '../common/pager';
import { EmptyState, ErrorNote, Loading } from '../common/states';
import { Time } from '../common/time';
import { CopyButton } from './copy-button';
import { NewTenantForm } from './new-tenant-form';
import { OperatorOnly } from './operator-only';
import './tenants.css';

const PAGE = 50;

/** A whole number from the hash query, or the fallback: a pasted address may hold anything. */
const wholeNumber = (text: string | null, fallback: number) => (text && /^\d+$/.test(text) && Number(text) >= 1 ? Number(text) : fallback);

/** #/tenants: every tenant (operator tokens only), in id order, a page at a time; and a new one. */
export function TenantsPage(props: SessionPageProps) {
  return props.session.me.kind === 'operator' ? <TenantList {...props} /> : <OperatorOnly session={props.session} />;
}

function TenantList({ session, route }: SessionPageProps) {
  const startIndex = wholeNumber(route.query.get('startIndex'), 1);
  const count = wholeNumber(route.query.get('count'), PAGE);
  const deleted = route.query.get('deleted');
  const list = useLoad(() => listTenants(session.token, startIndex, count), [session.token, startIndex, count]);
  const page = list.data;
  return (
    <section class="tn-tenants">
      <h1>Tenants</h1>
      {deleted ? <p class="notice" role="status">Tenant {deleted} was deleted with everything in it.</p> : null}
      <ErrorNote error={list.error} />
      {!page && list.loading ? <Loading what="Loading tenants" /> : null}
      {page && page.tenants.length === 0 ? (
        <EmptyState title={page.totalResults ? 'No tenants on this page.' : 'There are no tenants yet.'}>
          {page.totalResults ? <a href={hrefOf(['tenants'])}>Go to the first page</a> : 'Create the first one below.'}
        </EmptyState>
      ) : null}
      {page && page.tenants.length ? (
        <table aria-label="Tenants" aria-busy={list.loading}>
          <thead><tr><th scope="col">Id</th><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">SCIM URL</th><th scope="col">Open</th></tr></thead>
          <tbody>
            {page.tenants.map((tenant) => (
              <tr key={tenant.id}>
                <td><a href={hrefOf(['tenants', tenant.id])}>{tenant.id}</a></td>
                <td>{tenant.name}</td>
                <td><span class={`badge ${tenant.status === 'active' ? 'ok' : 'pending'}`}>{tenant.status}</span></td>
                <td><Time iso={tenant.created} /></td>
                <td class="tn-scim-url"><code>{tenant.scimUrl}</code> <CopyButton text={tenant.scimUrl} what={`the SCIM URL of ${tenant.id}`} /></td>
                <td><a href={hrefOf(['t', tenant.id, 'users'])} aria-label={`Users of ${tenant.id}`}>Users</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {page && page.totalResults > 0 ? (
        <Pager startIndex={startIndex} count={count} shown={page.tenants.length} total={page.totalResults} label="tenants"
          onPage={(next) => navigate(['tenants'], { startIndex: next, count: count === PAGE ? undefined : count })} />
      ) : null}
      <NewTenantForm session={session} onCreated={(id) => navigate(['tenants', id])} />
    </section>
  );
}
