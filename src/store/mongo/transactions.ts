import type { mongo } from 'mongoose';

/**
 * Multi-document transactions. Every write of a tenant runs inside one with its change events
 * (event-append.ts), so a reader sees all of it or none of it, no change commits without its
 * events, and a crash, step-down or lost connection part-way leaves nothing half-written.
 * Transactions need a replica set or a sharded cluster: start-up refuses a standalone server
 * (connection.ts).
 */
export interface Transactions {
  /**
   * Runs `work` in one transaction and commits it. A transient error (a write conflict with a
   * concurrent transaction, an election) aborts and runs `work` again from the start, and an
   * unknown commit result is retried, as `ClientSession.withTransaction` does: `work` must
   * decide everything it writes from what it reads inside the transaction, and change nothing
   * outside it. Any other error aborts (nothing is written) and is rethrown.
   */
  run<T>(work: (session: mongo.ClientSession) => Promise<T>): Promise<T>;
}

/**
 * Snapshot reads (every read in the transaction sees one point in time), on the primary. The
 * commit takes the client's write concern: majority, with MONGODB_WRITE_TIMEOUT (connection.ts);
 * naming a write concern here would drop that timeout.
 */
export const TRANSACTION_OPTIONS: mongo.TransactionOptions = {
  readConcern: { level: 'snapshot' },
  readPreference: 'primary',
};

export interface TransactionLimits {
  /** How long a commit may wait for its write concern (MONGODB_TIMEOUT). */
  readonly maxCommitTimeMS?: number;
}

/** Transactions on a connected client: one session per transaction. */
export function driverTransactions(client: mongo.MongoClient, limits: TransactionLimits = {}): Transactions {
  const options: mongo.TransactionOptions = { ...TRANSACTION_OPTIONS, ...limits };
  return {
    run: (work) => client.withSession((session) => session.withTransaction(() => work(session), options)),
  };
}
