/** "90d", "12h", "30m" → milliseconds; undefined when the text is not such a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)\s*(d|h|m)$/i.exec(text.trim());
  if (!match || Number(match[1]) === 0) return undefined;
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[match[2].toLowerCase() as 'd' | 'h' | 'm'];
  return Number(match[1]) * unit;
}
