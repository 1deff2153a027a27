/**
 * "Did you mean …?" for an attribute name a schema does not define. A name is close to a
 * candidate when, ignoring case and the separators people use between words (`_`, `-`, `.`),
 * they are spelt the same (`expires_at` → expiresAt), use the same words in another order
 * (`force_change_password` → forcePasswordChange), or are a few typing errors apart (`emial` →
 * emails: one swap and one missing letter).
 *
 * The cost is bounded whatever the request: names longer than MAX_COMPARED are not compared, and
 * a comparison is O(MAX_COMPARED²) at most.
 */
export interface NameCandidate {
  /** The name compared: an attribute's own name. */
  readonly name: string;
  /** What the message offers, e.g. the URN-qualified name. */
  readonly suggestion: string;
}

/** Longest name compared (URN-qualified names of Roster's extensions are about 70 characters). */
const MAX_COMPARED = 128;

const normalised = (name: string) => name.toLowerCase().replace(/[-_.\s]/g, '');

/** The words of a name, in order of spelling: camelCase, snake_case and kebab-case alike. */
const wordsOf = (name: string) =>
  name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[-_.:\s]+/).filter(Boolean).sort().join(' ');

/** How many typing errors are forgiven: one in a short name, up to three in a long one. */
const allowedErrors = (length: number) => (length <= 4 ? 1 : length <= 9 ? 2 : 3);

/** Returns the closest candidate's suggestion, or undefined when none is close. */
export function closestName(name: string, candidates: readonly NameCandidate[]): string | undefined {
  if (name.length > MAX_COMPARED) return undefined;
  const wanted = normalised(name);
  const words = wordsOf(name);
  let best: { suggestion: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const target = normalised(candidate.name);
    const distance = target === wanted || wordsOf(candidate.name) === words ? 0 : typingDistance(wanted, target, allowedErrors(wanted.length));
    if (distance !== undefined && (best === undefined || distance < best.distance)) best = { suggestion: candidate.suggestion, distance };
  }
  return best?.suggestion;
}

/**
 * Optimal string alignment distance (insertions, deletions, substitutions and swaps of two
 * neighbouring letters), or undefined when it exceeds `max`.
 */
export function typingDistance(a: string, b: string, max: number): number | undefined {
  if (Math.abs(a.length - b.length) > max || a.length > MAX_COMPARED || b.length > MAX_COMPARED) return undefined;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    before = previous;
    previous = row;
  }
  const distance = previous[b.length];
  return distance <= max ? distance : undefined;
}
