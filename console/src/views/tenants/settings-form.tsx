import { useEffect, useState } from 'preact/hooks';
import { updateTenant, type Tenant } from '../../api/tenants';
import type { Session } from '../../state/session';
import { useAction } from '../../state/use-load';
import { fieldOfError } from '../common/field';
import { ErrorNote } from '../common/states';
import { SettingInput } from './setting-input';
import { changeOf, draftsOf, SETTINGS, shownValue, type Draft, type Drafts } from './settings';

const PATHS = SETTINGS.map((s) => `settings.${s.name}`);

/**
 * The tenant's policy, one setting a row: the value in effect and where it comes from (the
 * tenant's own, or the server's default), and a change of it. Only what changed is sent.
 */
export function SettingsForm({ session, tenant, onSaved }: { session: Session; tenant: Tenant; onSaved: (tenant: Tenant) => void }) {
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(tenant));
  const [saved, setSaved] = useState<string | undefined>();
  useEffect(() => setDrafts(draftsOf(tenant)), [tenant]);
  const action = useAction(updateTenant);
  const edit = (name: keyof Drafts, draft: Draft) => {
    setSaved(undefined);
    setDrafts({ ...drafts, [name]: draft });
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const change = changeOf(tenant, drafts);
    if (Object.keys(change).length === 0) return setSaved('Nothing has changed.');
    const updated = await action.run(session.token, tenant.id, { settings: change });
    if (updated) {
      setSaved(`Saved: ${Object.keys(change).join(', ')}.`);
      onSaved(updated);
    }
  };
  const failed = fieldOfError(action.error, PATHS)?.slice('settings.'.length);
  return (
    <form class="card tn-settings" onSubmit={submit} aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <p class="hint">A setting the tenant does not set itself follows the server's default (its environment variable), also after that changes.</p>
      <div class="tn-settings-grid">
        {SETTINGS.map((spec) => {
          const own = tenant.settings[spec.name] !== undefined;
          const error = failed === spec.name ? action.error?.detail : undefined;
          return (
            <fieldset key={spec.name} class={`tn-setting${error ? ' field-invalid' : ''}`} data-setting={spec.name}>
              <legend id={`setting-${spec.name}`}>{spec.label} <code>{spec.name}</code></legend>
              <p class="tn-in-effect">
                In effect: <strong data-testid="in-effect">{shownValue(spec.kind, tenant.effectiveSettings[spec.name])}</strong>{' '}
                <span class={`badge${own ? ' ok' : ''}`}>{own ? "this tenant's own" : 'server default'}</span>
              </p>
              <SettingInput spec={spec} draft={drafts[spec.name]} onChange={(d) => edit(spec.name, d)} errorId={error ? `setting-${spec.name}-error` : undefined} />
              {error ? <small class="field-error" id={`setting-${spec.name}-error`} role="alert">{error}</small> : <small class="hint">{spec.help}</small>}
            </fieldset>
          );
        })}
      </div>
      {failed ? null : <ErrorNote error={action.error} />}
      {saved ? <p class="notice" role="status">{saved}</p> : null}
      <div class="actions"><button type="submit" class="primary" disabled={action.busy}>{action.busy ? 'Saving…' : 'Save settings'}</button></div>
    </form>
  );
}
