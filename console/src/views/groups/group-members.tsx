import { useState } from 'preact/hooks';
import { addMembers, removeMember, PAGE_SIZE, type GroupPage, type Member } from '../../api/groups';
import { hrefOf } from '../../state/route';
import type { TenantContext } from '../../state/session';
import { useAction } from '../../state/use-load';
import { Pager } from '../common/pager';
import { EmptyState, ErrorNote } from '../common/states';
import { MemberPicker } from './member-picker';

/** What the last member change did, so it can be undone from the message. */
interface Done {
  readonly text: string;
  readonly undo?: () => Promise<void>;
}

/**
 * A group's members, one page at a time (the page the group was read with), each linked to its
 * user; add users with the picker, remove one per row. A change is one PATCH of one member (one
 * row in the store, whatever the group's size), then the page is read again.
 */
export function GroupMembers({ ctx, page, busy, reload, onPage }: {
  ctx: TenantContext; page: GroupPage; busy: boolean; reload: () => void; onPage: (startIndex: number) => void;
}) {
  const groupId = page.group.id;
  const [done, setDone] = useState<Done | undefined>();
  const change = useAction(async (work: () => Promise<void>, next: Done | undefined) => {
    setDone(undefined);
    await work();
    setDone(next);
    reload();
  });
  const add = (userId: string, label: string) =>
    change.run(() => addMembers(ctx.scim, groupId, [userId]), { text: `Added ${label} to the group.`, undo: () => removeMember(ctx.scim, groupId, userId) });
  const remove = (member: Member) => {
    const label = member.display ?? member.value;
    return change.run(() => removeMember(ctx.scim, groupId, member.value), { text: `Removed ${label} from the group.`, undo: () => addMembers(ctx.scim, groupId, [member.value]) });
  };

  return (
    <div class="group-members">
      <MemberPicker ctx={ctx} disabled={change.busy} onPick={(user) => void add(user.id, user.label)} />
      {done ? (
        <p class="notice" role="status">
          {done.text}{' '}
          {done.undo ? <button type="button" onClick={() => void change.run(done.undo!, { text: 'Undone.' })}>Undo</button> : null}
        </p>
      ) : null}
      <ErrorNote error={change.error} />
      <h2>Members</h2>
      {page.total === 0 && page.startIndex === 1 ? (
        <EmptyState title="This group has no members yet.">Find users above and add them; identity providers add members when they push the group.</EmptyState>
      ) : (
        <>
          <table aria-busy={busy ? 'true' : undefined} aria-label="Members">
            <thead><tr><th>Member</th><th>User id</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {page.members.map((member) => (
                <tr key={member.value}>
                  <td><a href={hrefOf(['t', ctx.tenantId, 'users', member.value])}>{member.display ?? member.value}</a></td>
                  <td><code>{member.value}</code></td>
                  <td class="row-actions">
                    <button type="button" class="danger" disabled={change.busy} aria-label={`Remove ${member.display ?? member.value} from the group`} onClick={() => void remove(member)}>Remove</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.members.length === 0 ? <EmptyState title="No members on this page.">Go back to an earlier page.</EmptyState> : null}
          <Pager startIndex={page.startIndex} count={PAGE_SIZE} shown={page.members.length} total={page.total} label="members" onPage={onPage} />
        </>
      )}
    </div>
  );
}
