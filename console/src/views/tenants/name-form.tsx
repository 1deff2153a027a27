import { useEffect, useState } from 'preact/hooks';
import { updateTenant, type Tenant } from '../../api/tenants';
import type { Session } from '../../state/session';
import { useAction } from '../../state/use-load';
import { Field } from '../common/field';

/** The tenant's display name (its id never changes: it is in every URL its identity provider holds). */
export function NameForm({ session, tenant, onSaved }: { session: Session; tenant: Tenant; onSaved: (tenant: Tenant) => void }) {
  const [name, setName] = useState(tenant.name);
  useEffect(() => setName(tenant.name), [tenant.name]);
  const action = useAction(updateTenant);
  const submit = async (e: Event) => {
    e.preventDefault();
    const updated = await action.run(session.token, tenant.id, { name });
    if (updated) onSaved(updated);
  };
  return (
    <form class="tn-name-form" onSubmit={submit} aria-label="Tenant name">
      <Field label="Name" id="tenant-name" value={name} onInput={(v) => { action.clear(); setName(v); }} error={action.error?.detail} />
      <button type="submit" disabled={action.busy || name === tenant.name}>{action.busy ? 'Saving…' : 'Save name'}</button>
    </form>
  );
}
