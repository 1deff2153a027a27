/** A moment as the admin reads it (local time) with the exact UTC instant on hover. */
export function Time({ iso }: { iso: string | undefined }) {
  if (!iso) return <span>—</span>;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return <span>{iso}</span>;
  return <time dateTime={iso} title={iso}>{date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' })}</time>;
}
