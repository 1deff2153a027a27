/** "41–60 of 100,000" with previous/next: offset pages (startIndex is 1-based, as in SCIM). */
export function Pager({ startIndex, count, shown, total, onPage, label = 'results' }: {
  startIndex: number; count: number; shown: number; total: number; onPage: (startIndex: number) => void; label?: string;
}) {
  const first = total === 0 ? 0 : startIndex;
  const last = startIndex + shown - 1;
  return (
    <nav class="pager" aria-label={`Pages of ${label}`}>
      <button type="button" disabled={startIndex <= 1} onClick={() => onPage(Math.max(1, startIndex - count))}>← Previous</button>
      <span class="pager-position" aria-live="polite">
        {shown === 0 ? `0 of ${total.toLocaleString('en')}` : `${first.toLocaleString('en')}–${last.toLocaleString('en')} of ${total.toLocaleString('en')}`}
      </span>
      <button type="button" disabled={last >= total} onClick={() => onPage(startIndex + count)}>Next →</button>
    </nav>
  );
}
