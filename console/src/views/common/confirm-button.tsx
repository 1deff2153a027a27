import { useState } from 'preact/hooks';

/**
 * A destructive action asks once more, in the page (no browser dialog): the first press shows
 * "Really …? Yes / No", the second does it.
 */
export function ConfirmButton({ label, question, onConfirm, disabled, danger = true }: {
  label: string; question: string; onConfirm: () => void; disabled?: boolean; danger?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return <button type="button" class={danger ? 'danger' : undefined} disabled={disabled} onClick={() => setAsking(true)}>{label}</button>;
  }
  return (
    <span class="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button type="button" class={danger ? 'danger' : undefined} autoFocus onClick={() => { setAsking(false); onConfirm(); }}>Yes, {label.toLowerCase()}</button>
      <button type="button" onClick={() => setAsking(false)}>No</button>
    </span>
  );
}
