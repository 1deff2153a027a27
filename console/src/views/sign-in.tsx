import { useState } from 'preact/hooks';
import { signIn } from '../state/session';
import { useAction } from '../state/use-load';
import { ErrorNote } from './common/states';

/**
 * Sign-in: paste an operator, service or user token. The token is checked with the server, kept
 * in this tab's sessionStorage only, and sent as a bearer token; it never enters the address bar.
 */
export function SignIn() {
  const [token, setToken] = useState('');
  const action = useAction(signIn);
  const submit = (e: Event) => {
    e.preventDefault();
    void action.run(token);
  };
  return (
    <main class="sign-in">
      <h1>Roster console</h1>
      <form onSubmit={submit}>
        <label for="token">Token</label>
        <input id="token" type="password" autoComplete="off" value={token} autoFocus
          onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)} aria-describedby="token-help" />
        <p id="token-help" class="hint">
          An operator token manages every tenant; a tenant's service token manages that tenant. Create one with
          <code> npm run cli -- tokens create --operator --name console</code>. It is kept in this tab only and
          forgotten when the tab closes.
        </p>
        <ErrorNote error={action.error} />
        <button type="submit" class="primary" disabled={action.busy}>{action.busy ? 'Checking…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
