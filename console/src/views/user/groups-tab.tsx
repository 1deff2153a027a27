import type { Resource } from '../../api/scim';
import { hrefOf } from '../../state/route';
import { EmptyState } from '../common/states';

interface GroupRef { readonly value: string; readonly display?: string; readonly type?: string }

/** The user's groups as the user resource lists them (read-only in SCIM: memberships change on the group). */
export function GroupsTab({ tenantId, user }: { tenantId: string; user: Resource }) {
  const groups = (Array.isArray(user.groups) ? (user.groups as GroupRef[]) : []).slice().sort((a, b) => (a.display ?? a.value).localeCompare(b.display ?? b.value));
  if (groups.length === 0) {
    return (
      <EmptyState title="This user is in no group.">
        Members are added on the group's page: open <a href={hrefOf(['t', tenantId, 'groups'])}>Groups</a>, pick a group and add this user.
      </EmptyState>
    );
  }
  return (
    <section aria-label="Groups">
      <p class="hint">{groups.length.toLocaleString('en')} {groups.length === 1 ? 'group' : 'groups'}. Add or remove members on a group's page.</p>
      <table>
        <thead><tr><th scope="col">Group</th><th scope="col">Membership</th><th scope="col">Id</th></tr></thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.value}>
              <td><a href={hrefOf(['t', tenantId, 'groups', g.value])}>{g.display ?? g.value}</a></td>
              <td>{g.type ?? 'direct'}</td>
              <td><code>{g.value}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
