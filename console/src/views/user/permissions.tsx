import { ACCOUNT_URN, literal, type Resource } from '../../api/scim';
import { hrefOf } from '../../state/route';
import type { TenantContext } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { ErrorNote, Loading } from '../common/states';
import { valueAt } from './attributes';

/** The Group extension (seed 000): the permissions every member of a group inherits. */
const GROUP_EXTENSION_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Group';
/** More groups than this and the sources are shown for the first ones only (the server's order). */
const MOST_GROUPS = 200;

interface Source { readonly id?: string; readonly label: string }

const valuesOf = (list: unknown): string[] =>
  (Array.isArray(list) ? list : []).map((item) => (item && typeof item === 'object' ? (item as { value?: unknown }).value : item)).filter((v): v is string => typeof v === 'string');

/**
 * The read-only effectivePermissions, each with where it comes from: the user's own entitlements,
 * or the permissions of a group they are a direct member of (README, Account rules 13). The
 * server computes the list; the sources are found with one search of the user's groups.
 */
export function EffectivePermissions({ ctx, user }: { ctx: TenantContext; user: Resource }) {
  const permissions = valuesOf(valueAt(user, 'effectivePermissions', ACCOUNT_URN));
  const groups = useLoad(
    () => (permissions.length === 0 ? Promise.resolve(undefined) : ctx.scim.list('Groups', {
      filter: `members.value eq ${literal(user.id)}`, attributes: `displayName,${GROUP_EXTENSION_URN}:permissions`, count: MOST_GROUPS,
    })),
    [ctx.scim.base, user.id, permissions.join('\n')],
  );
  const own = new Set(valuesOf(user.entitlements));
  const sourcesOf = (permission: string): Source[] => [
    ...(own.has(permission) ? [{ label: 'own entitlement' }] : []),
    ...(groups.data?.Resources ?? [])
      .filter((g) => valuesOf(valueAt(g, 'permissions', GROUP_EXTENSION_URN)).includes(permission))
      .map((g) => ({ id: g.id, label: String(g.displayName ?? g.id) })),
  ];
  return (
    <div class="attribute-group">
      <h3>Effective permissions</h3>
      {permissions.length === 0 ? (
        <p class="hint">None: this user has no entitlements and is in no group that grants permissions.</p>
      ) : (
        <>
          {groups.loading ? <Loading what="Finding where each permission comes from" /> : <ErrorNote error={groups.error} />}
          <ul class="permissions" aria-label="Effective permissions">
            {permissions.map((permission) => (
              <li key={permission}>
                <code>{permission}</code>
                {groups.data ? <span class="hint"> — from {sourcesOf(permission).map((s, i) => (
                  <span key={s.id ?? s.label}>{i ? ', ' : ''}{s.id ? <>group <a href={hrefOf(['t', ctx.tenantId, 'groups', s.id])}>{s.label}</a></> : s.label}</span>
                ))}{sourcesOf(permission).length ? null : 'a source not shown'}</span> : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
