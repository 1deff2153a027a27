import { useState } from 'preact/hooks';

/** A resource exactly as the server returned it, formatted, with a copy button. */
export function JsonView({ value, label = 'Raw JSON' }: { value: unknown; label?: string }) {
  const text = JSON.stringify(value, null, 2);
  const [copied, setCopied] = useState(false);
  const copy = () => navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false));
  return (
    <section class="json-view" aria-label={label}>
      <div class="json-toolbar">
        <span>{label}</span>
        <button type="button" onClick={copy}>{copied ? 'Copied' : 'Copy'}</button>
      </div>
      <pre tabIndex={0} data-testid="raw-json">{text}</pre>
    </section>
  );
}
