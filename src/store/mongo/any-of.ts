import type { MongoQuery } from './query-fields';

/**
 * `$or` of the operands of an `or` chain, with the equalities (and sets) on one field merged into
 * one `$in`: `userName eq "a" or userName eq "b"` is `{userNameKey: {$in: ["a", "b"]}}`, one
 * condition the field's index answers with one scan per value. The same holds on an array
 * field, as for evaluateFilter: either side holds when some element is one of the values. Only
 * operands that are exactly `{field: {$eq | $in: scalars}}` merge, so a value read with a
 * fallback (an `$or` of its own) or compared any other way is left as it is. A lone operand is
 * returned as it is.
 */
export function anyOf(operands: readonly MongoQuery[]): MongoQuery {
  const sets = operands.map(valueSet);
  const byField = new Map<string, { first: number; operands: number; values: unknown[] }>();
  sets.forEach((set, i) => {
    if (!set) return;
    const entry = byField.get(set.field) ?? { first: i, operands: 0, values: [] };
    entry.operands++;
    entry.values.push(...set.values);
    byField.set(set.field, entry);
  });
  const merged: MongoQuery[] = [];
  operands.forEach((operand, i) => {
    const entry = sets[i] && byField.get(sets[i]!.field);
    if (!entry || entry.operands === 1) merged.push(operand);
    else if (entry.first === i) merged.push({ [sets[i]!.field]: { $in: [...new Set(entry.values)] } });
  });
  return merged.length === 1 ? merged[0] : { $or: merged };
}

const isScalar = (value: unknown) => value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** The field and values of an operand that is exactly `{field: {$eq: value}}` or `{field: {$in: [values]}}`. */
function valueSet(operand: MongoQuery): { field: string; values: readonly unknown[] } | undefined {
  const keys = Object.keys(operand);
  if (keys.length !== 1 || keys[0].startsWith('$')) return undefined;
  const condition = operand[keys[0]];
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition) || Object.keys(condition).length !== 1) return undefined;
  if ('$eq' in condition && isScalar(condition.$eq)) return { field: keys[0], values: [condition.$eq] };
  if ('$in' in condition && Array.isArray(condition.$in) && condition.$in.every(isScalar)) return { field: keys[0], values: condition.$in };
  return undefined;
}
