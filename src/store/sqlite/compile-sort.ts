import type { ListPosition, SortSpec } from '../port';
import { leafOf } from '../../scim/schema/resolve-attribute';
import { InvalidPosition, UnsupportedQuery } from '../port';
import type { SqlScope, SqlValue } from './sql-scope';

/**
 * ORDER BY for sortBy (RFC 7644 §3.4.2.3): a multi-valued attribute sorts by its primary value,
 * else its first; strings that are not caseExact sort case-insensitively; resources without a
 * value come last in ascending order and first in descending order. `tieBreak` (the insertion
 * sequence) makes the order total, so pages never overlap or skip.
 */
export function compileSort(sort: SortSpec | undefined, scope: SqlScope, tieBreak: string): string {
  if (!sort) return tieBreak;
  const { expression, value, direction } = sortParts(sort, scope);
  const nulls = value.notNull ? '' : `(${value.sql} IS NULL) ${direction}, `;
  return `${nulls}${expression} ${direction}, ${tieBreak}`;
}

/** The sort value as ORDER BY compares it: folded for a string that is not caseExact. */
function sortParts(sort: SortSpec, scope: SqlScope) {
  const value = sortValue(sort, scope);
  const leaf = leafOf(sort.attribute);
  const expression = leaf.type === 'string' && leaf.caseExact !== true && !value.folded ? `scim_fold(${value.sql})` : value.sql;
  return { value, expression, direction: sort.descending ? 'DESC' : 'ASC' };
}

/**
 * Keyset pagination (RFC 9865 cursors) over exactly the order compileSort gives. A position is
 * the order keys of the last resource served: [seq] without sortBy, [sort value, seq] with one
 * (the value as ORDER BY compares it, null when the resource has none; scim_fold keeps NULL
 * NULL, so null means "missing" for the folded expression too). `after` is the WHERE condition
 * "comes later in the order": for an indexed key a range the index answers (`(key, seq) > (?, ?)`
 * ascending, `key <= ? AND (key < ? OR seq > ?)` descending, whose tie-break stays ascending),
 * so a page reads about `limit` rows at any depth; never an OFFSET.
 */
export interface SqlKeyset {
  readonly orderBy: string;
  /** Expressions selected beside the row to build the position of the last one (`seq` is on the row). */
  readonly select: string;
  after(position: ListPosition): { sql: string; params: unknown[] };
  positionOf(row: { seq: number; cursor_value?: unknown }): ListPosition;
}

export function compileKeyset(sort: SortSpec | undefined, scope: SqlScope, tieBreak: string): SqlKeyset {
  const orderBy = compileSort(sort, scope, tieBreak);
  const seqOf = (position: ListPosition, at: number) => {
    const seq = position[at];
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) throw new InvalidPosition('the position has no insertion sequence');
    return seq;
  };
  if (!sort) {
    return {
      orderBy,
      select: '',
      after(position) {
        if (position.length !== 1) throw new InvalidPosition(`a position in the default order has 1 key, not ${position.length}`);
        return { sql: `${tieBreak} > ?`, params: [seqOf(position, 0)] };
      },
      positionOf: (row) => [row.seq],
    };
  }
  const { expression: key, value: sortKey, direction } = sortParts(sort, scope);
  // Without `IS NULL OR`, an index on a NOT NULL key serves the range (and the ORDER BY) alone.
  const nullsAfter = sortKey.notNull ? '' : `${key} IS NULL OR `;
  return {
    orderBy,
    select: `, ${key} AS cursor_value`,
    after(position) {
      if (position.length !== 2) throw new InvalidPosition(`a position in a sorted order has 2 keys, not ${position.length}`);
      const [value] = position;
      const seq = seqOf(position, 1);
      // SQLite has no booleans (true/false are 1/0), and this store never writes one into a position.
      if (typeof value === 'boolean') throw new InvalidPosition('the sort value of a position cannot be a boolean');
      // The condition works whatever the key's nullability: a NULL key fails every comparison.
      if (direction === 'ASC') {
        return value === null
          ? { sql: `(${key} IS NULL AND ${tieBreak} > ?)`, params: [seq] }
          : { sql: `(${nullsAfter}(${key}, ${tieBreak}) > (?, ?))`, params: [value, seq] };
      }
      return value === null
        ? { sql: `(${key} IS NOT NULL OR ${tieBreak} > ?)`, params: [seq] }
        : { sql: `(${key} <= ? AND (${key} < ? OR ${tieBreak} > ?))`, params: [value, value, seq] };
    },
    positionOf: (row) => [toKey(row.cursor_value), row.seq],
  };
}

/** A sort value read back from SQLite, as a position key (a BLOB or bigint never sorts a SCIM attribute). */
function toKey(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new Error(`cannot make a cursor position from a ${typeof value} sort value`);
}

function sortValue(sort: SortSpec, scope: SqlScope): SqlValue {
  const { attribute } = sort;
  if (!attribute.top.multiValued) {
    const value = scope.scalar(attribute);
    if (!value) throw new UnsupportedQuery('sort', `sorting by ${attribute.jsonPath.join('.')}`);
    return value;
  }
  const collection = scope.collection(attribute);
  const element = collection?.element(attribute.sub);
  if (!collection || !element) throw new UnsupportedQuery('sort', `sorting by ${attribute.jsonPath.join('.')}`);
  const conditions = [collection.within, collection.correlate].filter(Boolean);
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  return { sql: `(SELECT ${element.sql} FROM ${collection.from}${where} ORDER BY ${collection.primaryFirst} LIMIT 1)`, folded: element.folded };
}
