import { invalidValue } from '../../scim/errors';
import type { JsonObject } from '../../scim/values/json';
import { accountRoles } from './account';
import type { WriteKind } from './account-rules';
import { checkCoreRoleValues, coreRoleValues, readCoreRoles, type CoreRole } from './core-roles';

/** The roles a write gives an account, and the core entries that carry them. */
export interface AgreedRoles {
  /** Role names as the write states them (not yet checked: see checkRoles). */
  readonly roles: readonly string[];
  /** Where a role's core entry (display, type, primary) is looked up: the draft's, then the stored ones. */
  readonly entrySources: readonly (readonly CoreRole[])[];
}

/**
 * Core `roles` (where Entra ID sends app roles) and the Account extension's `roles` are one
 * concept: the Account roles are exactly the distinct values of the core roles, whichever of the
 * two a write changes. Each side counts as changed when its role names differ from what is
 * stored (a display, type or primary change alone changes no role). One side changed: it wins.
 * Both changed: they must name the same roles, else 400. Neither: the stored roles stay (the
 * union of both sides, for a user stored before they were kept in agreement).
 *
 * What a side that a write leaves out means follows WriteKind: nothing in a POST, "keep" in a
 * PUT (an IdP that does not manage roles leaves them out; `roles: []` clears them), "removed" in
 * a PATCH (the draft carries the current values).
 */
export function agreedRoles(current: JsonObject | undefined, draft: JsonObject, kind: WriteKind): AgreedRoles {
  const storedEntries = current ? readCoreRoles(current) ?? [] : [];
  const storedCore = coreRoleValues(storedEntries);
  const storedAccount = distinct(current ? accountRoles(current) ?? [] : []);

  const draftEntries = readCoreRoles(draft) ?? (kind === 'patch' ? [] : undefined);
  if (draftEntries) checkCoreRoleValues(draftEntries, storedEntries);
  const core = draftEntries && coreRoleValues(draftEntries);
  const account = stated(accountRoles(draft), kind);

  const coreChanged = core !== undefined && !sameRoles(core, storedCore);
  const accountChanged = account !== undefined && !sameRoles(account, storedAccount);
  if (coreChanged && accountChanged && !sameRoles(core, account)) throw disagreement(core, account);

  const roles = accountChanged ? account : coreChanged ? core : distinct([...storedAccount, ...storedCore]);
  return { roles, entrySources: [draftEntries ?? [], storedEntries] };
}

const stated = (roles: string[] | undefined, kind: WriteKind) => (roles === undefined && kind === 'patch' ? [] : roles && distinct(roles));

/** Names as the account rules store them: trimmed, each once (an empty name is checkRoles' to refuse). */
const distinct = (roles: readonly string[]) => [...new Set(roles.map((r) => r.trim()))];

const sameRoles = (a: readonly string[], b: readonly string[]) => {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((r) => y.has(r));
};

/** At most five names, so that a detail stays one readable sentence however many roles were sent. */
function list(roles: readonly string[]): string {
  if (roles.length === 0) return 'none';
  const shown = roles.slice(0, 5).map((r) => JSON.stringify(r.length > 40 ? `${r.slice(0, 40)}…` : r)).join(', ');
  return roles.length > 5 ? `${shown} and ${roles.length - 5} more` : shown;
}

function disagreement(core: readonly string[], account: readonly string[]) {
  return invalidValue(
    `roles and the Account extension's roles are the same roles, but this request changes both differently (roles values: ${list(core)}; `
    + `Account roles: ${list(account)}): change one of them, or both alike`,
  );
}
