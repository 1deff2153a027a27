import { useState } from 'preact/hooks';
import { createTenant } from '../../api/tenants';
import type { ApiError } from '../../api/http';
import type { Session } from '../../state/session';
import { useAction } from '../../state/use-load';
import { Field } from '../common/field';
import { ErrorNote } from '../common/states';

/** The field a refusal is about: the server's sentences begin with it ("id must be …", "name must be …") or name the id. */
function fieldOf(error: ApiError | undefined): 'id' | 'name' | undefined {
  if (!error) return undefined;
  if (/^name\b/i.test(error.detail)) return 'name';
  if (/^id\b|\bid\b/i.test(error.detail)) return 'id';
  return undefined;
}

/** "New tenant": an id (a DNS label) and a display name; the server checks both. */
export function NewTenantForm({ session, onCreated }: { session: Session; onCreated: (id: string) => void }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const action = useAction(createTenant);
  const submit = async (e: Event) => {
    e.preventDefault();
    const created = await action.run(session.token, { id: id.trim(), ...(name.trim() ? { name: name.trim() } : {}) });
    if (created) onCreated(created.id);
  };
  const field = fieldOf(action.error);
  return (
    <form class="card tn-new-tenant" onSubmit={submit} aria-label="New tenant">
      <h2>New tenant</h2>
      <div class="grid">
        <Field label="Tenant id" id="new-tenant-id" value={id} onInput={setId} placeholder="acme"
          hint="Lowercase letters, digits and -, e.g. acme. It becomes part of the SCIM URL and cannot change."
          error={field === 'id' ? action.error?.detail : undefined} />
        <Field label="Name" id="new-tenant-name" value={name} onInput={setName} placeholder="Acme Corp"
          hint="What admins read; the id when left empty." error={field === 'name' ? action.error?.detail : undefined} />
      </div>
      {field ? null : <ErrorNote error={action.error} />}
      <div class="actions"><button type="submit" class="primary" disabled={action.busy}>{action.busy ? 'Creating…' : 'Create tenant'}</button></div>
    </form>
  );
}
