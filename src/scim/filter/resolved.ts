import type { CompareOperator } from './ast';
import type { ResolvedAttribute } from '../schema/resolve-attribute';

/**
 * A filter checked against a resource type's schema: every path is bound to its definition and
 * every value has the attribute's type (dateTimes as ISO-8601 UTC strings). Compilers and the
 * evaluator take this tree, never raw text, so none of them re-checks the schema.
 */
export type ResolvedFilter =
  | { readonly kind: 'compare'; readonly attribute: ResolvedAttribute; readonly op: CompareOperator; readonly value: string | number | boolean }
  | { readonly kind: 'present'; readonly attribute: ResolvedAttribute }
  | { readonly kind: 'and' | 'or'; readonly left: ResolvedFilter; readonly right: ResolvedFilter }
  | { readonly kind: 'not'; readonly filter: ResolvedFilter }
  /** One element of the multi-valued complex `attribute` must satisfy `filter` (whose attributes are its sub-attributes). */
  | { readonly kind: 'valuePath'; readonly attribute: ResolvedAttribute; readonly filter: ResolvedFilter };

export type ResolvedComparison = Extract<ResolvedFilter, { kind: 'compare' }>;
