const MAX_DURATION_MS = 1_000 * 365 * 86_400_000;

/** "90d", "12h", "30m" → milliseconds; undefined when the text is not such a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)\s*(d|h|m)$/i.exec(text.trim());
  if (!match || Number(match[1]) === 0) return undefined;
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[match[2].toLowerCase() as 'd' | 'h' | 'm'];
  const ms = Number(match[1]) * unit;
  // Far beyond this a Date cannot hold the expiry (new Date(NaN).toISOString() throws); 1000 years keeps ISO years four digits.
  return ms <= MAX_DURATION_MS ? ms : undefined;
}
