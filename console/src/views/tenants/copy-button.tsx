import { useState } from 'preact/hooks';

/**
 * Copies `text` to the clipboard. Where the browser refuses (no clipboard permission, a page
 * not served over HTTPS), it says so: the text is on screen to select by hand.
 */
export function CopyButton({ text, label = 'Copy', what }: { text: string; label?: string; what?: string }) {
  const [outcome, setOutcome] = useState<'copied' | 'refused' | undefined>();
  const copy = () => {
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (!clipboard) return setOutcome('refused');
    clipboard.writeText(text).then(() => setOutcome('copied'), () => setOutcome('refused'));
  };
  return (
    <span class="tn-copy">
      <button type="button" onClick={copy} aria-label={what ? `${label} ${what}` : undefined}>{label}</button>
      <span class="tn-copy-outcome" aria-live="polite">
        {outcome === 'copied' ? 'Copied' : outcome === 'refused' ? 'The browser refused: select the text and copy it' : ''}
      </span>
    </span>
  );
}
