import { MAX_KEPT_FAILURES, type FailureLog, type RequestFailure } from '../port';
import type { Db } from './open-database';
import { perDatabase } from './per-database';

const statementsOf = perDatabase((db: Db) => ({
  last: db.prepare('SELECT max(id) FROM request_failures WHERE tenant_id = ?').pluck(),
  insert: db.prepare(`INSERT INTO request_failures (tenant_id, id, occurred_at, status, failure)
    VALUES (@tenant, @id, @occurredAt, @status, @failure)`),
  // Ids are consecutive: those up to the newest minus the cap are exactly the ones beyond it, a range of the key.
  prune: db.prepare('DELETE FROM request_failures WHERE tenant_id = @tenant AND id <= @upTo'),
  page: db.prepare('SELECT failure FROM request_failures WHERE tenant_id = @tenant AND id < @before ORDER BY id DESC LIMIT @limit').pluck(),
  pageOfStatus: db.prepare(`SELECT failure FROM request_failures WHERE tenant_id = @tenant AND status = @status AND id < @before
    ORDER BY id DESC LIMIT @limit`).pluck(),
}));

/**
 * One tenant's failed requests (activity-migration.ts). SQLite has one writer at a time, so
 * max(id) + 1 is taken and written in one transaction; the insert's trigger counts each failure
 * as `request.failed` in its hour, and the oldest beyond MAX_KEPT_FAILURES go in the same transaction.
 */
export function sqliteFailures(db: Db, tenant: string): FailureLog {
  const s = statementsOf(db);
  const record = db.transaction((failures: readonly Omit<RequestFailure, 'id'>[]) => {
    let id = (s.last.get(tenant) as number | null) ?? 0;
    for (const failure of failures) {
      id++;
      s.insert.run({ tenant, id, occurredAt: failure.occurredAt, status: failure.status, failure: JSON.stringify({ id, ...failure }) });
    }
    s.prune.run({ tenant, upTo: id - MAX_KEPT_FAILURES });
  });
  return {
    async record(...failures) {
      if (failures.length > 0) record.immediate(failures);
    },
    async read({ before, limit, status }) {
      const params = { tenant, before: before ?? Number.MAX_SAFE_INTEGER, limit, status };
      const rows = (status === undefined ? s.page : s.pageOfStatus).all(params) as string[];
      return rows.map((row) => JSON.parse(row) as RequestFailure);
    },
  };
}
