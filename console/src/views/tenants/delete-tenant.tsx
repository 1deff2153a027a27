import { useState } from 'preact/hooks';
import { deleteTenant, type Tenant } from '../../api/tenants';
import type { Session } from '../../state/session';
import { useAction } from '../../state/use-load';
import { ConfirmButton } from '../common/confirm-button';
import { ErrorNote } from '../common/states';

/**
 * Deleting a tenant: the server refuses (409) while it holds users or groups, and says so. Only
 * then is "erase everything" offered, behind a second confirmation: typing the tenant's id.
 */
export function DeleteTenant({ session, tenant, onDeleted }: { session: Session; tenant: Tenant; onDeleted: () => void }) {
  const [typed, setTyped] = useState('');
  const action = useAction(async (force: boolean) => {
    await deleteTenant(session.token, tenant.id, force);
    return true;
  });
  const remove = async (force: boolean) => {
    if (await action.run(force)) onDeleted();
  };
  // A delete cut short leaves the tenant "deleting": erasing again finishes it.
  const mustErase = action.error?.status === 409 || tenant.status === 'deleting';
  return (
    <section class="card tn-danger" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete this tenant</h2>
      {tenant.status === 'deleting' ? <p class="error">A delete of this tenant was cut short: erase it again to finish.</p> : null}
      <p class="hint">Its identity provider's requests are refused from then on. A tenant that still holds users or groups is deleted only with everything in it.</p>
      <div class="actions">
        <ConfirmButton label="Delete tenant" question={`Delete the tenant ${tenant.id}?`} disabled={action.busy} onConfirm={() => void remove(false)} />
      </div>
      <ErrorNote error={action.error} />
      {mustErase ? (
        <div class="tn-erase">
          <label for="erase-confirm">To erase {tenant.id} with all its users, groups, tokens and events, type its id:</label>
          <input id="erase-confirm" value={typed} autoComplete="off" spellcheck={false} onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)} />
          <ConfirmButton label="Erase everything" question={`Erase ${tenant.id} and everything in it? This cannot be undone.`}
            disabled={typed !== tenant.id || action.busy} onConfirm={() => void remove(true)} />
        </div>
      ) : null}
    </section>
  );
}
