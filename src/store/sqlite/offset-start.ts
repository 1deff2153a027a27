import { TENANT } from './sql-scope';
import type { StatementCache } from './statement-cache';

/** Offsets below this are skipped on the index directly: summing block counts would cost more. */
const BLOCK_SIZE = 1024;

/** Where an offset page in the default order starts reading: from `fromSeq`, skipping `skip` live users. */
export interface OffsetStart {
  readonly fromSeq: number;
  readonly skip: number;
}

/**
 * The start of the tenant's live users from position `offset` (0-based) in seq order, from the
 * per-block counts of user_blocks (counts-migration.ts): the first block whose running total
 * passes the offset holds that user, so the page skips at most a block's 1,024 index entries
 * whatever its depth. undefined past the end.
 */
export function offsetStart(statements: StatementCache, tenant: string, offset: number): OffsetStart | undefined {
  if (offset < BLOCK_SIZE) return { fromSeq: 0, skip: offset };
  const block = statements.get(`SELECT block, upto - n AS before FROM
      (SELECT block, n, sum(n) OVER (ORDER BY block) AS upto FROM user_blocks WHERE tenant_id = ${TENANT})
    WHERE upto > ? ORDER BY block LIMIT 1`).get(offset, { tenant }) as { block: number; before: number } | undefined;
  return block && { fromSeq: block.block * BLOCK_SIZE, skip: offset - block.before };
}
