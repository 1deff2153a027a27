import { MAX_KEPT_FAILURES, REQUEST_FAILED, type FailureLog, type RequestFailure } from '../port';
import { countActivity, hourCounts } from './mongo-activity';
import type { ScopedCollections } from './scoped-collection';

/**
 * One failed request of a tenant (failures-port.ts): `seq` is its id, the failure as served is
 * `failure`; `status` beside it is the log's filter (request_failures.tenant_status_seq).
 */
export interface FailureDocument {
  tenantId: string;
  seq: number;
  status: number;
  occurredAt: string;
  failure: RequestFailure;
}

/**
 * One tenant's failed requests. Recording is one transaction: the next ids after the newest
 * (two recordings of one tenant at once both write the same seq under the unique index, or the
 * same hour's count, so the later conflicts and runs again), the failures, their count as
 * `request.failed` in their hour, and the erasure of those beyond MAX_KEPT_FAILURES, a range of
 * request_failures.tenant_seq_unique.
 */
export function mongoFailures(scoped: ScopedCollections): FailureLog {
  return {
    async record(...drafts) {
      if (drafts.length === 0) return;
      await scoped.transaction(async (t) => {
        const log = t.failures;
        let id = (await log.findOne({}, { sort: { seq: -1 }, projection: { _id: 0, seq: 1 } }))?.seq ?? 0;
        await log.insertMany(drafts.map((draft) => {
          const failure = JSON.parse(JSON.stringify({ id: ++id, ...draft })) as RequestFailure;
          return { seq: id, status: draft.status, occurredAt: draft.occurredAt, failure };
        }));
        await countActivity(t.activityHours, hourCounts(drafts.map(({ occurredAt }) => ({ occurredAt, type: REQUEST_FAILED }))));
        await log.deleteMany({ seq: { $lte: id - MAX_KEPT_FAILURES } });
      });
    },

    async read({ before, limit, status }) {
      const filter = { ...(before === undefined ? {} : { seq: { $lt: before } }), ...(status === undefined ? {} : { status }) };
      const found = await scoped.failures.find(filter, { sort: { seq: -1 }, limit, projection: { _id: 0, failure: 1 } }).toArray();
      return found.map((d) => d.failure);
    },
  };
}
