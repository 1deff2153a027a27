import { useState } from 'preact/hooks';
import { createClient, type NewClient } from '../../api/clients';
import type { TenantContext } from '../../state/session';
import { useAction } from '../../state/use-load';
import { Field } from '../common/field';
import { ErrorNote } from '../common/states';

/** Whole days as a number; anything else goes as typed, for the server to explain. */
const daysOf = (text: string): number | string | undefined => (text.trim() === '' ? undefined : /^\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim());

/** "New OAuth client": a name (which identity provider holds it) and how long its first secret lasts. */
export function NewClientForm({ ctx, onCreated }: { ctx: TenantContext; onCreated: (client: NewClient) => void }) {
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const action = useAction(createClient);
  const submit = async (e: Event) => {
    e.preventDefault();
    const expires = daysOf(days);
    const created = await action.run(ctx.session.token, ctx.admin, { name, ...(expires === undefined ? {} : { secretExpiresInDays: expires }) });
    if (!created) return;
    setName('');
    setDays('');
    onCreated(created);
  };
  const daysError = action.error && /secretExpiresInDays/.test(action.error.detail) ? action.error.detail : undefined;
  const nameError = action.error && !daysError && /\bname\b/i.test(action.error.detail) ? action.error.detail : undefined;
  return (
    <form class="card" onSubmit={submit} aria-label="New OAuth client">
      <h2>New OAuth client</h2>
      <div class="grid">
        <Field label="Client name" id="client-name" value={name} onInput={setName} placeholder="entra" hint="Which identity provider holds it, e.g. entra." error={nameError} />
        <Field label="Secret lifetime (days)" id="client-days" value={days} onInput={setDays} placeholder="365" hint="1 to 1095; empty: 365 days." error={daysError} />
      </div>
      {daysError || nameError ? null : <ErrorNote error={action.error} />}
      <div class="actions"><button type="submit" class="primary" disabled={action.busy}>{action.busy ? 'Creating…' : 'Create client'}</button></div>
    </form>
  );
}
