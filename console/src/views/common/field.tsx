import type { ApiError } from '../../api/http';

let nextId = 0;
const newId = () => `field-${++nextId}`;

/**
 * A labelled input with the server's validation message under it when the error concerns it
 * (aria-invalid and aria-describedby tie the two for screen readers).
 */
export function Field({ label, value, onInput, error, type = 'text', name, placeholder, required, disabled, hint, id = newId() }: {
  label: string; value: string; onInput: (value: string) => void; error?: string; type?: string; name?: string;
  placeholder?: string; required?: boolean; disabled?: boolean; hint?: string; id?: string;
}) {
  const errorId = `${id}-error`;
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>{label}{required ? <span aria-hidden="true"> *</span> : null}</label>
      <input id={id} name={name ?? label} type={type} value={value} placeholder={placeholder} required={required} disabled={disabled}
        aria-invalid={error ? 'true' : undefined} aria-describedby={error ? errorId : undefined}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)} />
      {hint && !error ? <small class="hint">{hint}</small> : null}
      {error ? <small class="field-error" id={errorId} role="alert">{error}</small> : null}
    </div>
  );
}

/**
 * Which field a server message is about: the server names attributes in its sentences
 * ("name.givenName is required"), so the first field whose path the sentence names gets it.
 */
export function fieldOfError(error: ApiError | undefined, paths: readonly string[]): string | undefined {
  if (!error) return undefined;
  const text = error.detail.toLowerCase();
  return [...paths].sort((a, b) => b.length - a.length).find((path) => text.includes(path.toLowerCase()));
}
