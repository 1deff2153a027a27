/**
 * Resolves on the next turn of the event loop, after pending I/O: long work that awaits it now
 * and then lets other requests in. (SQLite calls complete without waiting for I/O, so awaiting
 * the store alone never does.)
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
