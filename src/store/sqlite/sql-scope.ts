import type { ResolvedAttribute } from '../../scim/schema/resolve-attribute';
import type { AttributeDefinition } from '../../scim/schema/definitions';
import type { SearchColumn } from './search-index';

/** A SQL expression for one attribute value; `folded` when the column already holds foldCase(value). */
export interface SqlValue {
  readonly sql: string;
  readonly folded: boolean;
  /** The expression is never NULL (lets ORDER BY use the column's index). */
  readonly notNull?: boolean;
  /** The trigram index that finds the values containing a string (co, sw, ew), when there is one. */
  readonly search?: SearchColumn;
}

/**
 * The elements of a multi-valued attribute, as rows. Compiled either as a semi-join
 * (`outer IN (SELECT inner FROM … WHERE p)`, which lets SQLite start from an index on the
 * element table) or as a correlated EXISTS.
 */
export interface SqlCollection {
  readonly from: string;
  /**
   * The condition that keeps the element rows in the list's tenant (they are rows of tables
   * that hold every tenant's), on the columns that lead their indexes. Absent for the elements
   * of one resource's JSON array, which are the resource's own.
   */
  readonly within?: string;
  readonly correlate?: string;
  readonly semiJoin?: { readonly outer: string; readonly inner: string };
  /**
   * A column of the table the elements' values are read from (in a join, the related table), for
   * the per-row budget check: SQLite runs it at that table's loop, for every row visited there.
   * Absent for the elements of one resource's JSON array, which the check on the resource covers.
   */
  readonly rowKey?: string;
  /** ORDER BY that puts the primary element first, then the first in document order. */
  readonly primaryFirst: string;
  /** The expression for a sub-attribute of one element (or the element itself). */
  element(sub: AttributeDefinition | undefined): SqlValue | undefined;
}

/**
 * Where a compiler finds attribute values: the table row at the top, one element of a
 * multi-valued attribute inside a value path. Adapters supply promoted columns and relations.
 */
export interface SqlScope {
  /** jsonPath prefix this scope stands at ([] for the resource, ["emails"] inside emails[…]). */
  readonly base: readonly string[];
  scalar(attribute: ResolvedAttribute): SqlValue | undefined;
  collection(attribute: ResolvedAttribute): SqlCollection | undefined;
}

/**
 * The named parameter every tenant-scoped statement compares tenant_id with; the adapters bind
 * it (`{ tenant }`) beside the positional parameters of a compiled filter.
 */
export const TENANT = '@tenant';

/** A JSON path literal for SQLite, quoting every key (URNs contain dots and colons). */
export const jsonPath = (keys: readonly string[]): string =>
  `'$${keys.map((k) => `."${k.replace(/"/g, '\\"').replace(/'/g, "''")}"`).join('')}'`;

/** The path of the multi-valued attribute itself: emails for emails.value. */
export const containerPath = (attribute: ResolvedAttribute): readonly string[] =>
  attribute.sub ? attribute.jsonPath.slice(0, -1) : attribute.jsonPath;

/** Values inside a JSON document column: the default when no promoted column or relation applies. */
export function jsonScope(alias: string, document: string): SqlScope {
  return {
    base: [],
    scalar: (attribute) => ({ sql: `json_extract(${document}, ${jsonPath(attribute.jsonPath)})`, folded: false }),
    collection: (attribute) => jsonCollection(`${alias}_each`, document, containerPath(attribute)),
  };
}

/**
 * The elements of a multi-valued attribute inside a JSON document. Elements may be objects
 * (emails) or plain values (the Account roles): a sub-attribute or `primary` is read only from
 * an object, since json_extract on a plain string fails ("malformed JSON") rather than giving NULL.
 */
export function jsonCollection(element: string, document: string, path: readonly string[]): SqlCollection {
  const member = (key: string) => `(CASE ${element}.type WHEN 'object' THEN json_extract(${element}.value, ${jsonPath([key])}) END)`;
  return {
    from: `json_each(${document}, ${jsonPath(path)}) ${element}`,
    primaryFirst: `IFNULL(${member('primary')}, 0) DESC, ${element}.key`,
    element: (sub) => ({ sql: sub ? member(sub.name) : `${element}.value`, folded: false }),
  };
}

/** The scope inside a value path: the sub-attributes of one element of `collection`. */
export function elementScope(attribute: ResolvedAttribute, collection: SqlCollection): SqlScope {
  return {
    base: attribute.jsonPath,
    scalar: (inner) => collection.element(inner.sub),
    collection: () => undefined,
  };
}
