import type { AttributePath } from '../path/attribute-path';

/**
 * The typed tree of an RFC 7644 §3.4.2.2 filter. A filter is parsed once into this tree;
 * validation against the schema, in-memory evaluation and compilation to SQL or MongoDB are
 * separate visitors over it.
 */
export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A literal compValue: JSON string, number, true, false or null. */
export type CompareValue = string | number | boolean | null;

export type Filter = Comparison | Presence | Logical | Negation | ValuePathFilter;

/** `userName eq "bjensen"` */
export interface Comparison {
  readonly kind: 'compare';
  readonly path: AttributePath;
  readonly op: CompareOperator;
  readonly value: CompareValue;
}

/** `title pr` */
export interface Presence {
  readonly kind: 'present';
  readonly path: AttributePath;
}

/** `A and B`, `A or B`. */
export interface Logical {
  readonly kind: 'and' | 'or';
  readonly left: Filter;
  readonly right: Filter;
}

/** `not (A)` */
export interface Negation {
  readonly kind: 'not';
  readonly filter: Filter;
}

/**
 * `emails[type eq "work" and value co "@example.com"]`: the inner filter's paths are relative
 * to `path` (they name sub-attributes of the multi-valued complex attribute), and one single
 * value of the attribute must satisfy the whole inner filter.
 */
export interface ValuePathFilter {
  readonly kind: 'valuePath';
  readonly path: AttributePath;
  readonly filter: Filter;
}
