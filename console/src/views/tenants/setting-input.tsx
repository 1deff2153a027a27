import { REQUIRABLE_ATTRIBUTES, type Draft, type SettingSpec } from './settings';

/**
 * One setting's control: "Server default" or the tenant's own value. The value's control is
 * named by the setting's legend (aria-labelledby), so it reads "Maximum roles per user".
 */
export function SettingInput({ spec, draft, onChange, errorId }: { spec: SettingSpec; draft: Draft; onChange: (draft: Draft) => void; errorId?: string }) {
  const labelledBy = `setting-${spec.name}`;
  const common = {
    'aria-labelledby': labelledBy, 'aria-invalid': errorId ? ('true' as const) : undefined, 'aria-describedby': errorId, disabled: draft.useDefault,
  };
  const text = (e: Event) => onChange({ ...draft, text: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  return (
    <div class="tn-setting-input">
      <label class="tn-inline">
        <input type="checkbox" checked={draft.useDefault} onChange={(e) => onChange({ ...draft, useDefault: (e.currentTarget as HTMLInputElement).checked })} />
        {' '}Use the server's default
      </label>
      {spec.kind === 'count' || spec.kind === 'days' ? (
        <input type="text" inputMode={spec.kind === 'count' ? 'numeric' : undefined} value={draft.text} onInput={text} {...common}
          placeholder={spec.kind === 'days' ? 'e.g. 30, or off' : 'e.g. 10'} />
      ) : null}
      {spec.kind === 'boolean' ? (
        <select value={draft.text} onChange={text} {...common}>
          <option value="true">yes</option>
          <option value="false">no</option>
        </select>
      ) : null}
      {spec.kind === 'usernameFormat' ? (
        <select value={draft.text} onChange={text} {...common}>
          <option value="any">any string</option>
          <option value="email">an email address</option>
        </select>
      ) : null}
      {spec.kind === 'attributes' ? (
        <span class="tn-attributes" role="group" aria-labelledby={labelledBy}>
          {REQUIRABLE_ATTRIBUTES.map((attribute) => (
            <label class="tn-inline" key={attribute}>
              <input type="checkbox" disabled={draft.useDefault} checked={draft.attributes.includes(attribute)}
                onChange={(e) => {
                  const on = (e.currentTarget as HTMLInputElement).checked;
                  onChange({ ...draft, attributes: on ? [...draft.attributes, attribute] : draft.attributes.filter((a) => a !== attribute) });
                }} />
              {' '}{attribute}
            </label>
          ))}
        </span>
      ) : null}
    </div>
  );
}
