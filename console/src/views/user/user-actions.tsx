import type { Answer } from '../../api/http';
import { ACCOUNT_URN, type Resource } from '../../api/scim';
import { navigate } from '../../state/route';
import type { TenantContext } from '../../state/session';
import { useAction } from '../../state/use-load';
import { ConfirmButton } from '../common/confirm-button';
import { ErrorNote } from '../common/states';

/** Why a user-bound session may not do these to its own account (README, Account rules 8; seeds 002, 004). */
export const SELF_RULE = 'You are signed in with this user\'s own token. Nobody can deactivate or delete their own account, or change their own account type or roles: ask another administrator.';

/**
 * Deactivate / (re)activate (a PATCH of `active`, as Okta and Entra ID send it) and delete (soft:
 * restorable from Deleted users). The server enforces the self rules; a user-bound session on its
 * own page is told beforehand, and the buttons are disabled.
 */
export function UserActions({ ctx, user, self, onChanged }: {
  ctx: TenantContext; user: Resource; self: boolean; onChanged: (answer: Answer<Resource | undefined>) => void;
}) {
  const setActive = useAction(async (active: boolean) => {
    onChanged(await ctx.scim.patch('Users', user.id, [{ op: 'replace', path: 'active', value: active }]));
  });
  const remove = useAction(async () => {
    await ctx.scim.remove('Users', user.id);
    navigate(['t', ctx.tenantId, 'users'], { notice: `Deleted ${String(user.userName)}. You can restore it from Deleted users.` });
  });
  const active = user.active === true;
  const busy = setActive.busy || remove.busy;

  return (
    <div class="user-actions">
      <div class="actions" role="group" aria-label="Account actions">
        {active ? (
          <ConfirmButton label="Deactivate" question={`Deactivate ${String(user.userName)}? Their API tokens are revoked.`}
            disabled={busy || self} onConfirm={() => void setActive.run(false)} />
        ) : (
          <button type="button" class="primary" disabled={busy} onClick={() => void setActive.run(true)}>
            {String((user[ACCOUNT_URN] as { status?: string } | undefined)?.status ?? '') === 'Inactive' ? 'Reactivate' : 'Activate'}
          </button>
        )}
        <ConfirmButton label="Delete" question={`Delete ${String(user.userName)}? It can be restored from Deleted users.`}
          disabled={busy || self} onConfirm={() => void remove.run()} />
      </div>
      {self ? <p class="hint self-rule">{SELF_RULE}</p> : null}
      <ErrorNote error={setActive.error ?? remove.error} />
    </div>
  );
}
