import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Answer } from '../../api/http';
import type { Resource } from '../../api/scim';
import type { TenantContext } from '../../state/session';
import { useAction } from '../../state/use-load';
import { fieldOfError } from '../common/field';
import { ErrorNote } from '../common/states';
import { operationsOf, shownValue, type AttributeSpec, type Draft } from './attributes';
import { AttributeInput } from './inputs';

export interface SectionProps {
  readonly ctx: TenantContext;
  readonly user: Resource;
  readonly etag?: string;
  /** The server's answer to a save: the user as it now is. */
  readonly onSaved: (answer: Answer<Resource | undefined>) => void;
  readonly onReload: () => void;
}

const sectionsOf = (specs: readonly AttributeSpec[]) => [...new Set(specs.map((s) => s.section))];

/**
 * A tab's attributes, shown as a list and edited in place: Save sends one PATCH with a replace
 * (or remove) for each changed attribute only, conditional on the ETag the page was read with,
 * so a change made meanwhile by an IdP is not overwritten (412). The server's sentence lands
 * under the field it names, or above the form.
 */
export function EditSection({ ctx, user, etag, onSaved, onReload, title, specs, locked = {}, children }: SectionProps & {
  title: string; specs: readonly AttributeSpec[]; locked?: Record<string, string>; children?: ComponentChildren;
}) {
  const [drafts, setDrafts] = useState<Record<string, Draft> | undefined>();
  const [saved, setSaved] = useState(false);
  const save = useAction(async (changes: Record<string, Draft>) => {
    const operations = operationsOf(specs, user, changes);
    if (operations.length) onSaved(await ctx.scim.patch('Users', user.id, operations, { etag }));
    return operations.length;
  });

  const startEditing = () => {
    setSaved(false);
    save.clear();
    setDrafts(Object.fromEntries(specs.map((s) => [s.path, s.read(user)])));
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!drafts) return;
    const changed = await save.run(drafts);
    if (changed === undefined) return;
    setDrafts(undefined);
    setSaved(changed > 0);
  };

  // The Save button is below a long form: a refusal takes the eye (and the focus) to what it is about.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const about = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.current?.querySelector<HTMLElement>('[role="alert"]');
    about?.scrollIntoView({ block: 'center' });
    if (about?.matches('input, select')) about.focus();
  }, [save.error]);

  // Keyboard users land where they work: the first input on Edit, the Edit button after Save or Cancel.
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    if (drafts && !wasEditing.current) form.current?.querySelector<HTMLElement>('input:not(:disabled), select:not(:disabled)')?.focus();
    if (!drafts && wasEditing.current) editButton.current?.focus();
    wasEditing.current = drafts !== undefined;
  }, [drafts]);

  const stale = save.error?.status === 412;
  const errorField = stale ? undefined : fieldOfError(save.error, specs.map((s) => s.name));
  const shown = (spec: AttributeSpec) => [<dt key={`${spec.path}-t`}>{spec.label}</dt>, <dd key={`${spec.path}-d`} class="pre-line">{shownValue(spec, user)}</dd>];
  const input = (spec: AttributeSpec) => (
    <AttributeInput key={spec.path} spec={spec} value={drafts![spec.path]} locked={locked[spec.path]}
      error={errorField === spec.name ? save.error!.detail : undefined}
      onChange={(value) => setDrafts({ ...drafts, [spec.path]: value })} />
  );
  const groups = (editing: boolean) => sectionsOf(specs).map((section) => {
    const inSection = specs.filter((s) => s.section === section);
    return (
      <div class="attribute-group" key={section}>
        <h3>{section}</h3>
        {editing ? inSection.map(input) : <dl class="props">{inSection.map(shown)}</dl>}
      </div>
    );
  });

  if (!drafts) {
    return (
      <section class="card" aria-label={title}>
        <div class="card-head">
          <h2>{title}</h2>
          <button type="button" ref={editButton} onClick={startEditing}>Edit {title.toLowerCase()}</button>
        </div>
        {saved ? <p class="notice" role="status">Saved.</p> : null}
        <div class="attribute-groups">{groups(false)}</div>
        {children}
      </section>
    );
  }
  return (
    <form ref={form} class="card" aria-label={`Edit ${title.toLowerCase()}`} onSubmit={submit} noValidate>
      <div class="card-head"><h2>Edit {title.toLowerCase()}</h2></div>
      {stale ? (
        <div class="error" role="alert">
          <p>Someone changed this user after you opened it, so nothing was saved ({save.error!.detail}). Reload to see the current values, then make your change again.</p>
          <button type="button" onClick={() => { setDrafts(undefined); save.clear(); onReload(); }}>Reload the user</button>
        </div>
      ) : errorField ? null : <ErrorNote error={save.error} />}
      <div class="attribute-groups">{groups(true)}</div>
      <div class="actions">
        <button type="submit" class="primary" disabled={save.busy}>{save.busy ? 'Saving…' : 'Save'}</button>
        <button type="button" onClick={() => { setDrafts(undefined); save.clear(); }}>Cancel</button>
      </div>
    </form>
  );
}
