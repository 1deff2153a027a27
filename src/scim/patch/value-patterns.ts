import { canonicalJson, isJsonObject, type Json } from '../values/json';

/**
 * Which elements of a multi-valued attribute a `remove` with a value describes: an object
 * pattern describes every object element holding the pattern's sub-attributes with equal
 * values (deepEqual's equality); any other pattern describes the elements equal to it.
 *
 * Patterns are hashed, grouped by their set of keys, so checking n elements against m patterns
 * costs about n × (distinct key sets) + m instead of n × m: a client removing 10,000 emails by
 * {"value": …} costs one pass over the attribute.
 */
export function describedBy(patterns: readonly Json[]): (element: Json) => boolean {
  const plain = new Set<string>();
  const byKeys = new Map<string, { keys: string[]; values: Set<string> }>();
  for (const pattern of patterns) {
    if (!isJsonObject(pattern)) {
      plain.add(canonicalJson(pattern));
      continue;
    }
    const keys = Object.keys(pattern).sort();
    const id = JSON.stringify(keys);
    let group = byKeys.get(id);
    if (!group) byKeys.set(id, (group = { keys, values: new Set() }));
    group.values.add(canonicalJson(keys.map((k) => pattern[k])));
  }
  const groups = [...byKeys.values()];
  return (element) => {
    if (!isJsonObject(element)) return plain.has(canonicalJson(element));
    return groups.some(({ keys, values }) =>
      keys.every((k) => Object.hasOwn(element, k)) && values.has(canonicalJson(keys.map((k) => element[k]))));
  };
}
