import { useState } from 'preact/hooks';
import { createUserToken, listUserTokens, revokeUserToken, type NewUserToken } from '../../api/user-tokens';
import type { TenantContext } from '../../state/session';
import { useAction, useLoad } from '../../state/use-load';
import { ConfirmButton } from '../common/confirm-button';
import { Field, fieldOfError } from '../common/field';
import { EmptyState, ErrorNote, Loading } from '../common/states';
import { Time } from '../common/time';

/**
 * The user's API tokens (README, Account rules 7): a token acts as its user. A new token's secret
 * is shown once, right here, and never again; revoking removes the token at once.
 */
export function TokensTab({ ctx, userId, active }: { ctx: TenantContext; userId: string; active: boolean }) {
  const { token } = ctx.session;
  const tokens = useLoad(() => listUserTokens(token, ctx.admin, userId), [token, ctx.admin, userId]);
  const [name, setName] = useState('');
  const [expiresIn, setExpiresIn] = useState('');
  const [created, setCreated] = useState<NewUserToken | undefined>();
  const create = useAction(async (event: Event) => {
    event.preventDefault();
    setCreated(undefined);
    const made = await createUserToken(token, ctx.admin, userId, { name: name.trim(), expiresIn: expiresIn.trim() || undefined });
    setCreated(made);
    setName('');
    setExpiresIn('');
    tokens.reload();
  });
  const revoke = useAction(async (tokenId: string) => {
    await revokeUserToken(token, ctx.admin, userId, tokenId);
    if (created?.id === tokenId) setCreated(undefined);
    tokens.reload();
  });
  // Only a refused request names a field; "name" would also match sentences about userName.
  const errorField = create.error?.status === 400 ? fieldOfError(create.error, ['name', 'expiresIn']) : undefined;

  return (
    <section aria-label="API tokens">
      <form class="card" onSubmit={create.run} aria-label="Create a token">
        <h2>Create a token</h2>
        <p class="hint">The token acts as this user: it may read, and write only while the user is an Active Super admin.{active ? '' : ' Roster issues tokens to Active users only.'}</p>
        {errorField ? null : <ErrorNote error={create.error} />}
        <div class="token-form">
          <Field label="Token name" value={name} onInput={setName} placeholder="reporting" error={errorField === 'name' ? create.error?.detail : undefined} />
          <Field label="Expires in" value={expiresIn} onInput={setExpiresIn} placeholder="90d" hint="A duration such as 90d, 12h or 30m; empty: never."
            error={errorField === 'expiresIn' ? create.error?.detail : undefined} />
          <button type="submit" class="primary" disabled={create.busy}>{create.busy ? 'Creating…' : 'Create token'}</button>
        </div>
      </form>
      {created ? (
        <div class="notice new-secret" role="status" aria-label="New token">
          <p><strong>Token “{created.name}” created.</strong> Copy it now: this is the only time Roster shows it.</p>
          <p class="secret" data-testid="new-token">{created.token}</p>
          <div class="actions">
            <button type="button" onClick={() => navigator.clipboard?.writeText(created.token)}>Copy token</button>
            <button type="button" onClick={() => setCreated(undefined)}>I have stored it — hide it</button>
          </div>
        </div>
      ) : null}
      <h2>Tokens</h2>
      <ErrorNote error={revoke.error} />
      {tokens.error ? <ErrorNote error={tokens.error} /> : tokens.loading && !tokens.data ? <Loading what="Loading tokens" />
        : !tokens.data?.length ? <EmptyState title="This user has no API tokens.">Create one above; its secret is shown once.</EmptyState> : (
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.id} data-token-id={t.id}>
                  <td>{t.name}</td>
                  <td><Time iso={t.created} /></td>
                  <td>{t.expires ? <Time iso={t.expires} /> : 'never'}</td>
                  <td>{t.lastUsed ? <Time iso={t.lastUsed} /> : 'never'}</td>
                  <td>{t.revoked ? <span class="badge Inactive">revoked <Time iso={t.revoked} /></span> : <span class="badge ok">valid</span>}</td>
                  <td><ConfirmButton label="Revoke" question={`Revoke token “${t.name}”? It stops working at once.`} disabled={revoke.busy} onConfirm={() => void revoke.run(t.id)} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </section>
  );
}
