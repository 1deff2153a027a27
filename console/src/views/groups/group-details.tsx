import { useState } from 'preact/hooks';
import { deleteGroup, detailsOf, detailsPatch, updateGroup, type GroupDetails } from '../../api/groups';
import type { Resource } from '../../api/scim';
import { navigate } from '../../state/route';
import type { TenantContext } from '../../state/session';
import { useAction } from '../../state/use-load';
import { ConfirmButton } from '../common/confirm-button';
import { Field, fieldOfError } from '../common/field';
import { ErrorNote } from '../common/states';

/** Permissions as typed: one per line (or separated by commas), blanks and repeats dropped. */
const parsePermissions = (text: string): string[] => [...new Set(text.split(/[\n,]/).map((p) => p.trim()).filter(Boolean))];

const FIELDS = ['displayName', 'description', 'permissions'] as const;

/**
 * Edit a group's name, description and permissions (Roster's Group extension: every member
 * inherits the permissions). A save sends only what changed; the server's sentence appears under
 * the field it names. Mounted afresh for each version of the group (its key), so after a save it
 * shows what the server now holds; `onSaved` lets the page keep the "Saved" message meanwhile.
 */
export function GroupDetailsForm({ ctx, group, reload, onSaved }: {
  ctx: TenantContext; group: Resource; reload: () => void; onSaved: (saved: boolean) => void;
}) {
  const saved = detailsOf(group);
  const [displayName, setDisplayName] = useState(saved.displayName);
  const [description, setDescription] = useState(saved.description);
  const [permissions, setPermissions] = useState(saved.permissions.join('\n'));
  const [nothing, setNothing] = useState(false);
  const save = useAction(async (draft: GroupDetails) => {
    const operations = detailsPatch(saved, draft);
    setNothing(operations.length === 0);
    onSaved(false);
    if (operations.length) {
      await updateGroup(ctx.scim, group.id, operations);
      onSaved(true);
      reload();
    }
  });
  const remove = useAction(async () => {
    await deleteGroup(ctx.scim, group.id);
    navigate(['t', ctx.tenantId, 'groups'], { deleted: saved.displayName || group.id }, true);
  });
  const field = fieldOfError(save.error, FIELDS);
  const errorOf = (name: (typeof FIELDS)[number]) => (field === name ? save.error?.detail : undefined);
  const submit = (e: Event) => {
    e.preventDefault();
    void save.run({ displayName: displayName.trim(), description: description.trim(), permissions: parsePermissions(permissions) });
  };
  const edit = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    setNothing(false);
    onSaved(false);
  };

  return (
    <>
      <form class="card group-details" onSubmit={submit} aria-label="Group details">
        <Field label="Display name" name="displayName" value={displayName} onInput={edit(setDisplayName)} error={errorOf('displayName')}
          hint="Unique in the tenant (compared without regard to case). Identity providers may rename the group on their next push." />
        <Field label="Description" name="description" value={description} onInput={edit(setDescription)} error={errorOf('description')} />
        <div class={`field${errorOf('permissions') ? ' field-invalid' : ''}`}>
          <label for="group-permissions">Permissions (one per line)</label>
          <textarea id="group-permissions" name="permissions" rows={5} value={permissions}
            aria-invalid={errorOf('permissions') ? 'true' : undefined} aria-describedby="group-permissions-note"
            onInput={(e) => edit(setPermissions)((e.currentTarget as HTMLTextAreaElement).value)} />
          {errorOf('permissions')
            ? <small class="field-error" id="group-permissions-note" role="alert">{errorOf('permissions')}</small>
            : <small class="hint" id="group-permissions-note">Every member inherits these (their effectivePermissions). Names are compared exactly, e.g. reports.view.</small>}
        </div>
        {save.error && !field ? <ErrorNote error={save.error} /> : null}
        {nothing ? <p class="hint" role="status">Nothing changed, so nothing was saved.</p> : null}
        <div class="actions">
          <button type="submit" class="primary" disabled={save.busy}>{save.busy ? 'Saving…' : 'Save changes'}</button>
        </div>
      </form>
      <section class="card danger-zone" aria-labelledby="delete-group-title">
        <h2 id="delete-group-title">Delete this group</h2>
        <p class="hint">Its members stay in the tenant but lose the permissions it gives them. An identity provider that still has the group may create it again on its next push.</p>
        <ErrorNote error={remove.error} />
        <ConfirmButton label="Delete group" question={`Delete “${saved.displayName}” for good?`} disabled={remove.busy} onConfirm={() => void remove.run()} />
      </section>
    </>
  );
}
