import type { SortSpec } from '../port';
import { leafOf } from '../../scim/schema/resolve-attribute';
import { UnsupportedQuery } from '../port';
import type { SqlScope, SqlValue } from './sql-scope';

/**
 * ORDER BY for sortBy (RFC 7644 §3.4.2.3): a multi-valued attribute sorts by its primary value,
 * else its first; strings that are not caseExact sort case-insensitively; resources without a
 * value come last in ascending order and first in descending order. `tieBreak` (the insertion
 * sequence) makes the order total, so pages never overlap or skip.
 */
export function compileSort(sort: SortSpec | undefined, scope: SqlScope, tieBreak: string): string {
  if (!sort) return tieBreak;
  const value = sortValue(sort, scope);
  const leaf = leafOf(sort.attribute);
  const expression = leaf.type === 'string' && leaf.caseExact !== true && !value.folded ? `scim_fold(${value.sql})` : value.sql;
  const direction = sort.descending ? 'DESC' : 'ASC';
  const nulls = value.notNull ? '' : `(${value.sql} IS NULL) ${direction}, `;
  return `${nulls}${expression} ${direction}, ${tieBreak}`;
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
  const where = collection.correlate ? ` WHERE ${collection.correlate}` : '';
  return { sql: `(SELECT ${element.sql} FROM ${collection.from}${where} ORDER BY ${collection.primaryFirst} LIMIT 1)`, folded: element.folded };
}
