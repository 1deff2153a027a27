import { Field } from '../common/field';
import type { AttributeSpec, Draft, Row } from './attributes';

interface InputProps {
  spec: AttributeSpec;
  value: Draft;
  onChange: (value: Draft) => void;
  /** The server's sentence when it is about this attribute. */
  error?: string;
  /** Why this attribute may not be changed here (the self rules), shown instead of a hint. */
  locked?: string;
}

const idOf = (spec: AttributeSpec) => `attribute-${spec.path.replace(/[^A-Za-z0-9]+/g, '-')}`;

function Message({ id, error, hint }: { id: string; error?: string; hint?: string }) {
  if (error) return <small class="field-error" id={`${id}-error`} role="alert">{error}</small>;
  return hint ? <small class="hint" id={`${id}-hint`}>{hint}</small> : null;
}

/** The input of one attribute in an edit form, with the server's message under it. */
export function AttributeInput({ spec, value, onChange, error, locked }: InputProps) {
  const id = idOf(spec);
  const hint = locked ?? spec.hint;
  const described = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  if (spec.kind === 'text') {
    return <Field id={id} label={spec.label} value={String(value)} type={spec.inputType} onInput={onChange} error={error} hint={hint} disabled={Boolean(locked)} />;
  }
  if (spec.kind === 'select') {
    return (
      <div class={`field${error ? ' field-invalid' : ''}`}>
        <label for={id}>{spec.label}</label>
        <select id={id} value={String(value)} disabled={Boolean(locked)} aria-invalid={error ? 'true' : undefined} aria-describedby={described}
          onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
          {spec.required ? null : <option value="">(not set)</option>}
          {spec.options!.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
        <Message id={id} error={error} hint={hint} />
      </div>
    );
  }
  if (spec.kind === 'check') {
    return (
      <div class={`field field-check${error ? ' field-invalid' : ''}`}>
        <label>
          <input type="checkbox" checked={value === true} disabled={Boolean(locked)} aria-describedby={described}
            onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} /> {spec.label}
        </label>
        <Message id={id} error={error} hint={hint} />
      </div>
    );
  }
  return <RowsInput spec={spec} rows={value as Row[]} onChange={onChange} error={error} id={id} />;
}

/** The rows of a multi-valued attribute: one line each, a primary choice, add and remove. */
function RowsInput({ spec, rows, onChange, error, id }: { spec: AttributeSpec; rows: Row[]; onChange: (rows: Row[]) => void; error?: string; id: string }) {
  const set = (i: number, key: string, value: unknown) => onChange(rows.map((row, j) => {
    if (key === 'primary') return { ...row, primary: i === j };
    return j === i ? { ...row, [key]: value } : row;
  }));
  const singular = spec.item ?? spec.label;
  return (
    <fieldset class={`rows-input${error ? ' field-invalid' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{spec.label}</legend>
      {rows.length === 0 ? <p class="hint">None yet.</p> : null}
      {rows.map((row, i) => (
        <div class="row-line" key={i}>
          {spec.columns!.map((column) => (
            <label key={column.key}>
              <span>{column.label}</span>
              {column.options ? (
                <select aria-label={`${singular} ${i + 1} ${column.label}`} value={String(row[column.key] ?? '')}
                  onChange={(e) => set(i, column.key, (e.currentTarget as HTMLSelectElement).value)}>
                  <option value="">—</option>
                  {column.options.map((o) => <option key={o} value={o}>{o}</option>)}
                </select>
              ) : (
                <input aria-label={`${singular} ${i + 1} ${column.label}`} value={String(row[column.key] ?? '')}
                  onInput={(e) => set(i, column.key, (e.currentTarget as HTMLInputElement).value)} />
              )}
            </label>
          ))}
          <label class="row-primary">
            <input type="radio" name={`${id}-primary`} checked={row.primary === true} onChange={() => set(i, 'primary', true)} /> Primary
          </label>
          <button type="button" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove ${singular.toLowerCase()} ${i + 1}`}>Remove</button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, {}])}>Add {singular.toLowerCase()}</button>
      {error ? <small class="field-error" id={`${id}-error`} role="alert">{error}</small> : null}
    </fieldset>
  );
}
