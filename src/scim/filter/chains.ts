/**
 * `a and b and c …` (or `or`) is associative, so any grouping of a chain means the same. The
 * parser groups a chain as a balanced tree: its depth is log2(n), so no visitor (the resolver,
 * the evaluator, the SQL compiler, whose output SQLite parses with an expression-depth limit)
 * recurses once per operand. The MongoDB compiler flattens a chain back into one n-ary
 * `$and` / `$or`, whose nesting does not grow with the chain at all.
 */
export interface Logical<T> {
  readonly kind: 'and' | 'or';
  readonly left: T;
  readonly right: T;
}

/** The balanced tree of a non-empty chain, operands in their written order. */
export function balancedChain<T>(kind: 'and' | 'or', operands: readonly T[]): T | Logical<T> {
  if (operands.length === 0) throw new RangeError('a chain needs at least one operand');
  const build = (from: number, to: number): T | Logical<T> => {
    if (to - from === 1) return operands[from];
    const middle = from + Math.ceil((to - from) / 2);
    return { kind, left: build(from, middle) as T, right: build(middle, to) as T };
  };
  return build(0, operands.length);
}

/** The operands of the chain of `kind` at `filter`, in written order ([filter] when it is no such chain). */
export function chainOperands<T extends { readonly kind: string }>(filter: T, kind: 'and' | 'or'): T[] {
  const operands: T[] = [];
  const pending: T[] = [filter];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.kind !== kind) operands.push(node);
    else pending.push((node as unknown as Logical<T>).right, (node as unknown as Logical<T>).left);
  }
  return operands;
}
