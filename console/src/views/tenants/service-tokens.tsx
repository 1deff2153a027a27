import { useState } from 'preact/hooks';
import { createServiceToken, listServiceTokens, revokeServiceToken, type NewServiceToken, type ServiceToken } from '../../api/tenants';
import type { Session } from '../../state/session';
import { useAction, useLoad } from '../../state/use-load';
import { ConfirmButton } from '../common/confirm-button';
import { Field } from '../common/field';
import { EmptyState, ErrorNote, Loading } from '../common/states';
import { Time } from '../common/time';
import { ShownOnce } from './shown-once';

function stateOf(token: ServiceToken): { label: string; badge: string } {
  if (token.revoked) return { label: 'revoked', badge: 'failed' };
  if (token.expires && Date.parse(token.expires) <= Date.now()) return { label: 'expired', badge: 'pending' };
  return { label: 'active', badge: 'ok' };
}

/**
 * The tenant's service tokens (what Okta or a script provisions with): metadata only, a new one
 * shown once, and revocation, which stops the token at once and keeps its record for the trail.
 */
export function ServiceTokens({ session, tenantId }: { session: Session; tenantId: string }) {
  const tokens = useLoad(() => listServiceTokens(session.token, tenantId), [session.token, tenantId]);
  const [name, setName] = useState('');
  const [expiresIn, setExpiresIn] = useState('');
  const [created, setCreated] = useState<NewServiceToken | undefined>();
  const create = useAction(createServiceToken);
  const revoke = useAction(revokeServiceToken);
  const submit = async (e: Event) => {
    e.preventDefault();
    const answer = await create.run(session.token, tenantId, { name: name.trim(), ...(expiresIn.trim() ? { expiresIn: expiresIn.trim() } : {}) });
    if (!answer) return;
    setCreated(answer);
    setName('');
    setExpiresIn('');
    tokens.reload();
  };
  const revokeOne = async (token: ServiceToken) => {
    setCreated(undefined);
    await revoke.run(session.token, tenantId, token.id);
    tokens.reload();
  };
  const expiresError = create.error && /expiresIn/.test(create.error.detail) ? create.error.detail : undefined;
  const nameError = create.error && /^name\b/.test(create.error.detail) ? create.error.detail : undefined;
  return (
    <section class="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">Service tokens</h2>
      <p class="hint">A service token provisions anything in this tenant (give one to Okta as its API token). Its secret is shown once, when it is created.</p>
      <ErrorNote error={tokens.error} />
      <ErrorNote error={revoke.error} />
      {!tokens.data && tokens.loading ? <Loading what="Loading tokens" /> : null}
      {tokens.data && tokens.data.length === 0 ? <EmptyState title="This tenant has no service tokens yet.">Create one below for its identity provider.</EmptyState> : null}
      {tokens.data && tokens.data.length ? (
        <table aria-label="Service tokens">
          <thead><tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {tokens.data.map((token) => {
              const state = stateOf(token);
              return (
                <tr key={token.id} data-token-id={token.id}>
                  <td>{token.name}</td>
                  <td><Time iso={token.created} /></td>
                  <td>{token.expires ? <Time iso={token.expires} /> : 'never'}</td>
                  <td>{token.lastUsed ? <Time iso={token.lastUsed} /> : 'never'}</td>
                  <td><span class={`badge ${state.badge}`}>{state.label}</span>{token.revoked ? <> <Time iso={token.revoked} /></> : null}</td>
                  <td>{token.revoked ? null : (
                    <ConfirmButton label="Revoke" question={`Revoke ${token.name}? Whatever uses it is refused from now on.`} disabled={revoke.busy} onConfirm={() => void revokeOne(token)} />
                  )}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {created ? (
        <ShownOnce title={`New token ${created.name}`} rows={[{ label: 'Token', value: created.token, secret: true }]} onDone={() => setCreated(undefined)} />
      ) : null}
      <form onSubmit={submit} aria-label="New service token">
        <h3>New service token</h3>
        <div class="grid">
          <Field label="Token name" id="token-name" value={name} onInput={setName} placeholder="okta" hint="Who holds it, e.g. okta." error={nameError} />
          <Field label="Expires in" id="token-expires" value={expiresIn} onInput={setExpiresIn} placeholder="90d" hint="A duration such as 90d, 12h or 30m; empty: never." error={expiresError} />
        </div>
        {expiresError || nameError ? null : <ErrorNote error={create.error} />}
        <div class="actions"><button type="submit" disabled={create.busy}>{create.busy ? 'Creating…' : 'Create token'}</button></div>
      </form>
    </section>
  );
}
