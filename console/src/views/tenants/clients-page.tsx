import { useState } from 'preact/hooks';
import { addClientSecret, deleteClient, listClients, revokeClientSecret, type NewClient, type NewSecret } from '../../api/clients';
import { useAction, useLoad } from '../../state/use-load';
import type { TenantPageProps } from '../page';
import { EmptyState, ErrorNote, Loading } from '../common/states';
import { ClientCard } from './client-card';
import { NewClientForm } from './new-client-form';
import { ShownOnce } from './shown-once';
import './tenants.css';

/**
 * #/t/{tenant}/clients: the tenant's OAuth clients, for identity providers that sign in with
 * client credentials (Entra ID gallery apps). Operator tokens and the tenant's service tokens
 * may manage them; anyone else sees the server's refusal.
 */
export function ClientsPage({ ctx }: TenantPageProps) {
  const { token } = ctx.session;
  const clients = useLoad(() => listClients(token, ctx.admin), [token, ctx.admin]);
  const [created, setCreated] = useState<NewClient | undefined>();
  const [added, setAdded] = useState<NewSecret | undefined>();
  // Every change answers with what changed only: the list is read again after it.
  const change = useAction(async (work: () => Promise<NewSecret | void>) => {
    const answer = await work();
    clients.reload();
    return answer;
  });
  const hideSecrets = () => {
    setCreated(undefined);
    setAdded(undefined);
  };
  return (
    <section class="tn-clients">
      <h1>OAuth clients</h1>
      <p class="hint">
        For identity providers that sign in with client credentials, such as Microsoft Entra ID gallery apps: give them the
        client ID, a client secret, the token URL, and the tenant's SCIM URL. Okta uses a service token instead.
      </p>
      <ErrorNote error={clients.error} />
      <ErrorNote error={change.error} />
      {created ? (
        <ShownOnce title={`New client ${created.name}`} onDone={hideSecrets} rows={[
          { label: 'Client ID', value: created.clientId },
          { label: 'Client secret', value: created.clientSecret, secret: true },
          { label: 'Token URL', value: created.tokenUrl },
          { label: 'SCIM URL (Tenant URL in Entra)', value: created.scimUrl },
        ]} />
      ) : null}
      {!clients.data && clients.loading ? <Loading what="Loading OAuth clients" /> : null}
      {clients.data && clients.data.length === 0 ? (
        <EmptyState title="This tenant has no OAuth clients.">Create one below when an identity provider asks for a client ID and secret.</EmptyState>
      ) : null}
      {clients.data?.map((client) => (
        <ClientCard key={client.clientId} client={client} busy={change.busy}
          added={added?.clientId === client.clientId ? added : undefined}
          onHideSecret={hideSecrets}
          onAddSecret={() => {
            hideSecrets();
            void change.run(() => addClientSecret(token, ctx.admin, client.clientId)).then((answer) => answer && setAdded(answer));
          }}
          onRevokeSecret={(secret) => {
            hideSecrets();
            void change.run(() => revokeClientSecret(token, ctx.admin, client.clientId, secret.id));
          }}
          onDelete={() => {
            hideSecrets();
            void change.run(() => deleteClient(token, ctx.admin, client.clientId));
          }} />
      ))}
      {clients.error?.status === 403 ? null : <NewClientForm ctx={ctx} onCreated={(client) => { hideSecrets(); setCreated(client); clients.reload(); }} />}
    </section>
  );
}
