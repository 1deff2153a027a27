import type { ClientSecret, NewSecret, OAuthClient } from '../../api/clients';
import { ConfirmButton } from '../common/confirm-button';
import { Time } from '../common/time';
import { CopyButton } from './copy-button';
import { ShownOnce } from './shown-once';

const BADGE: Record<ClientSecret['state'], string> = { active: 'ok', expired: 'pending', revoked: 'failed' };

/**
 * One OAuth client: its id, its secrets (a second one lets the identity provider rotate without
 * a gap: add, give it to Entra, then revoke the old), and a new secret shown once.
 */
export function ClientCard({ client, added, busy, onAddSecret, onRevokeSecret, onDelete, onHideSecret }: {
  client: OAuthClient; added?: NewSecret; busy: boolean;
  onAddSecret: () => void; onRevokeSecret: (secret: ClientSecret) => void; onDelete: () => void; onHideSecret: () => void;
}) {
  return (
    <article class="card tn-client" aria-labelledby={`client-${client.clientId}`} data-client-id={client.clientId}>
      <h3 id={`client-${client.clientId}`}>{client.name}</h3>
      <dl class="props">
        <dt>Client ID</dt><dd><code>{client.clientId}</code> <CopyButton text={client.clientId} what={`the client ID of ${client.name}`} /></dd>
        <dt>Created</dt><dd><Time iso={client.created} /></dd>
      </dl>
      {client.secrets.length ? (
        <table aria-label={`Secrets of ${client.name}`}>
          <thead><tr><th scope="col">Secret</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {client.secrets.map((secret) => (
              <tr key={secret.id} data-secret-id={secret.id}>
                <td><code title={secret.id}>…{secret.id.slice(-8)}</code></td>
                <td><Time iso={secret.created} /></td>
                <td><Time iso={secret.expires} /></td>
                <td>{secret.lastUsed ? <Time iso={secret.lastUsed} /> : 'never'}</td>
                <td><span class={`badge ${BADGE[secret.state]}`}>{secret.state}</span>{secret.revoked ? <> <Time iso={secret.revoked} /></> : null}</td>
                <td>{secret.state === 'revoked' ? null : (
                  <ConfirmButton label="Revoke" question="Revoke this secret? Access tokens issued with it stop working at once." disabled={busy} onConfirm={() => onRevokeSecret(secret)} />
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p class="hint">This client has no secrets: add one to let the identity provider sign in.</p>}
      {added ? (
        <ShownOnce title={`New secret for ${client.name}`} onDone={onHideSecret} rows={[
          { label: 'Client ID', value: added.clientId }, { label: 'Client secret', value: added.clientSecret, secret: true },
        ]} />
      ) : null}
      <div class="actions">
        <button type="button" disabled={busy} onClick={onAddSecret}>Add a secret</button>
        <ConfirmButton label="Delete client" question={`Delete ${client.name}? Its secrets and access tokens stop working at once.`} disabled={busy} onConfirm={onDelete} />
      </div>
    </article>
  );
}
