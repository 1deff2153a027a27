import { useEffect, useState } from 'preact/hooks';
import { getTenant, type Tenant } from '../../api/tenants';
import { DEFAULT_TENANT } from '../../api/session-api';
import { hrefOf, navigate } from '../../state/route';
import { useLoad } from '../../state/use-load';
import type { SessionPageProps } from '../page';
import { ErrorNote, Loading } from '../common/states';
import { Time } from '../common/time';
import { CopyButton } from './copy-button';
import { DeleteTenant } from './delete-tenant';
import { NameForm } from './name-form';
import { OperatorOnly } from './operator-only';
import { ServiceTokens } from './service-tokens';
import { SettingsForm } from './settings-form';
import './tenants.css';

/** #/tenants/{id}: one tenant's name, settings, service tokens and deletion (operator tokens only). */
export function TenantPage(props: SessionPageProps) {
  return props.session.me.kind === 'operator' ? <TenantDetail {...props} /> : <OperatorOnly session={props.session} />;
}

function TenantDetail({ session, params }: SessionPageProps) {
  const id = params[0] ?? '';
  const loaded = useLoad(() => getTenant(session.token, id), [session.token, id]);
  // A save answers with the tenant as it now is: shown without another request.
  const [tenant, setTenant] = useState<Tenant | undefined>();
  useEffect(() => setTenant(loaded.data), [loaded.data]);
  if (loaded.error) {
    return <section><p><a href={hrefOf(['tenants'])}>← Tenants</a></p><ErrorNote error={loaded.error} /></section>;
  }
  if (!tenant || tenant.id !== id) return <Loading what="Loading the tenant" />;
  const section = (name: string) => hrefOf(['t', tenant.id, name]);
  return (
    <section class="tn-tenant">
      <p><a href={hrefOf(['tenants'])}>← Tenants</a></p>
      <h1>{tenant.name} <span class={`badge ${tenant.status === 'active' ? 'ok' : 'pending'}`}>{tenant.status}</span></h1>
      <div class="card">
        <dl class="props">
          <dt>Id</dt><dd><code>{tenant.id}</code></dd>
          <dt>SCIM URL</dt><dd><code>{tenant.scimUrl}</code> <CopyButton text={tenant.scimUrl} what="the SCIM URL" /></dd>
          <dt>Created</dt><dd><Time iso={tenant.created} /></dd>
          <dt>Last changed</dt><dd><Time iso={tenant.lastModified} /></dd>
        </dl>
        <nav class="actions" aria-label={`Open ${tenant.id}`}>
          <a href={section('users')}>Users</a>
          <a href={section('groups')}>Groups</a>
          <a href={section('activity')}>Activity</a>
          <a href={section('webhooks')}>Webhooks</a>
          <a href={section('clients')}>OAuth clients</a>
        </nav>
        <NameForm session={session} tenant={tenant} onSaved={setTenant} />
      </div>
      <SettingsForm session={session} tenant={tenant} onSaved={setTenant} />
      <ServiceTokens session={session} tenantId={tenant.id} />
      {tenant.id === DEFAULT_TENANT
        ? <p class="hint">The built-in tenant <code>default</code> serves the SCIM base path and cannot be deleted.</p>
        : <DeleteTenant session={session} tenant={tenant} onDeleted={() => navigate(['tenants'], { deleted: tenant.id }, true)} />}
    </section>
  );
}
