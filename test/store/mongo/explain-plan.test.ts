import { explainableCommand, isCountCommand, summarizeExplain } from '../../support/explain-plan';

/**
 * The explain reader that index-plans.test.ts relies on, on canned explain outputs of each shape
 * the servers in CI answer with (abbreviated from MongoDB's "Explain Results" pages for 5.0, 6.0,
 * 7.0 and 8.0; the express stage as COMPASS-7794 describes it). It runs without a server, so a
 * reader that misses an index or a scan in one shape fails here rather than passing silently there.
 */

const ixscan = (indexName: string) => ({ stage: 'IXSCAN', keyPattern: { tenantId: 1 }, indexName, isMultiKey: false, direction: 'forward' });
const stats = (keys: number, docs: number) => ({ nReturned: 1, totalKeysExamined: keys, totalDocsExamined: docs, executionStages: { stage: 'sort' } });

describe('summarizeExplain', () => {
  it('reads a classic plan (5.0): stages outermost first, the index of its IXSCAN, and what it examined', () => {
    const summary = summarizeExplain({
      explainVersion: '1',
      queryPlanner: {
        winningPlan: { stage: 'LIMIT', inputStage: { stage: 'FETCH', inputStage: ixscan('tenant_live_created_id') } },
        // Rejected plans were not run: their scan and sort do not count.
        rejectedPlans: [{ stage: 'SORT', inputStage: { stage: 'COLLSCAN' } }],
      },
      executionStats: stats(101, 100),
    });
    expect(summary).toEqual({
      stages: ['LIMIT', 'FETCH', 'IXSCAN'], indexes: ['tenant_live_created_id'],
      collectionScans: 0, inMemorySorts: 0, keysExamined: 101, docsExamined: 100,
    });
  });

  it('reads a slot-based plan (6.0, 7.0) from queryPlan, not from the slot-based text or the execution stages', () => {
    const summary = summarizeExplain({
      explainVersion: '2',
      queryPlanner: {
        winningPlan: {
          queryPlan: { stage: 'SORT', inputStage: { stage: 'FETCH', inputStage: ixscan('tenant_externalId') } },
          slotBasedPlan: { slots: '$$RESULT=s7', stages: '[2] sort [s5] [s6] \n[1] nlj \n[1] ixseek … scan' },
        },
        rejectedPlans: [],
      },
      executionStats: stats(1, 1),
    });
    expect(summary.stages).toEqual(['SORT', 'FETCH', 'IXSCAN']);
    expect(summary.indexes).toEqual(['tenant_externalId']);
    expect(summary.inMemorySorts).toBe(1);
    expect(summary.collectionScans).toBe(0);
  });

  it('reads the express path of 8.0 (a single stage naming its index)', () => {
    const summary = summarizeExplain({
      queryPlanner: { winningPlan: { isCached: false, stage: 'EXPRESS_IXSCAN', keyPattern: '{ _id: 1 }', indexName: '_id_' } },
      executionStats: stats(1, 1),
    });
    expect(summary).toMatchObject({ stages: ['EXPRESS_IXSCAN'], indexes: ['_id_'], collectionScans: 0 });
  });

  it('reads an aggregation from its $cursor stage, and counts a $sort and a scanning $lookup left in the pipeline', () => {
    const summary = summarizeExplain({
      stages: [
        { $cursor: { queryPlanner: { winningPlan: { stage: 'PROJECTION_SIMPLE', inputStage: { stage: 'FETCH', inputStage: ixscan('tenant_live_created_id') } } }, executionStats: stats(3000, 3000) } },
        { $lookup: { from: 'memberships', as: '_sortRelated' }, totalDocsExamined: 500, totalKeysExamined: 0, collectionScans: 3000, indexesUsed: [] },
        { $addFields: { _sortValue: 1 } },
        { $sort: { sortKey: { _sortValue: 1 } } },
      ],
    });
    expect(summary).toEqual({
      stages: ['PROJECTION_SIMPLE', 'FETCH', 'IXSCAN', '$lookup', '$addFields', '$sort'],
      indexes: ['tenant_live_created_id'],
      collectionScans: 3000, inMemorySorts: 1, keysExamined: 3000, docsExamined: 3500,
    });
  });

  it('reads a count pushed down whole into the query layer (a GROUP over a covered scan)', () => {
    const summary = summarizeExplain({
      queryPlanner: { winningPlan: { queryPlan: { stage: 'GROUP', inputStage: { stage: 'PROJECTION_COVERED', inputStage: ixscan('tenant_live_created_id') } }, slotBasedPlan: { stages: '' } } },
      executionStats: stats(2970, 0),
    });
    expect(summary).toMatchObject({ indexes: ['tenant_live_created_id'], docsExamined: 0, collectionScans: 0, inMemorySorts: 0 });
  });

  it('sees every branch of an $or, and does not take a SORT_MERGE of sorted branches for a sort in memory', () => {
    const summary = summarizeExplain({
      queryPlanner: { winningPlan: { stage: 'SUBPLAN', inputStage: { stage: 'FETCH', inputStage: { stage: 'SORT_MERGE', inputStages: [ixscan('tenant_live_created_id'), { stage: 'COLLSCAN' }] } } } },
    });
    expect(summary.indexes).toEqual(['tenant_live_created_id']);
    expect(summary.collectionScans).toBe(1);
    expect(summary.inMemorySorts).toBe(0);
  });

  it('takes a classic COLLSCAN under a SORT (SORT_KEY_GENERATOR before 4.4) for a scan and a sort in memory', () => {
    expect(summarizeExplain({ queryPlanner: { winningPlan: { stage: 'SORT', inputStage: { stage: 'SORT_KEY_GENERATOR', inputStage: { stage: 'COLLSCAN' } } } } }))
      .toMatchObject({ collectionScans: 1, inMemorySorts: 2, indexes: [] });
  });

  it('takes a slot-based join without an index for a scan of the joined collection, and an indexed one for its index', () => {
    const join = (strategy: string, indexName?: string) => summarizeExplain({
      queryPlanner: { winningPlan: { queryPlan: { stage: 'EQ_LOOKUP', foreignCollection: 'db.groups', strategy, ...(indexName ? { indexName } : {}), inputStage: ixscan('tenant_member') } } },
    });
    expect(join('HashJoin')).toMatchObject({ collectionScans: 1, indexes: ['tenant_member'] });
    expect(join('NestedLoopJoin').collectionScans).toBe(1);
    expect(join('IndexedLoopJoin', '_id_')).toMatchObject({ collectionScans: 0, indexes: ['_id_', 'tenant_member'] });
  });

  it('reads the plan of each shard behind mongos', () => {
    const summary = summarizeExplain({
      queryPlanner: { winningPlan: { stage: 'SINGLE_SHARD', shards: [{ shardName: 's0', winningPlan: { stage: 'FETCH', inputStage: { stage: 'SHARDING_FILTER', inputStage: ixscan('tenant_groupIds') } } }] } },
    });
    expect(summary.stages).toEqual(['SINGLE_SHARD', 'FETCH', 'SHARDING_FILTER', 'IXSCAN']);
    expect(summary.indexes).toEqual(['tenant_groupIds']);
  });

  it('finds nothing in something that is not an explain', () => {
    expect(summarizeExplain(null)).toEqual({ stages: [], indexes: [], collectionScans: 0, inMemorySorts: 0, keysExamined: 0, docsExamined: 0 });
  });
});

describe('explainableCommand', () => {
  it('keeps what shapes the plan of a profiled find, without session, transaction, read concern or cluster time', () => {
    const entry = {
      op: 'query', ns: 'roster.users',
      command: {
        find: 'users', filter: { tenantId: 'acme', live: true }, sort: { created: 1, _id: 1 }, projection: { q: 0 }, skip: 2000, limit: 100,
        lsid: { id: 'x' }, txnNumber: 3, autocommit: false, readConcern: { level: 'majority' }, maxTimeMS: 10000, $clusterTime: {}, $db: 'roster',
      },
    };
    expect(explainableCommand(entry)).toEqual({ find: 'users', filter: { tenantId: 'acme', live: true }, sort: { created: 1, _id: 1 }, projection: { q: 0 }, skip: 2000, limit: 100 });
  });

  it('keeps an aggregation\'s pipeline and cursor', () => {
    const pipeline = [{ $match: { tenantId: 'acme', live: true } }, { $group: { _id: 1, n: { $sum: 1 } } }];
    expect(explainableCommand({ op: 'command', ns: 'roster.users', command: { aggregate: 'users', pipeline, cursor: {}, lsid: {} } }))
      .toEqual({ aggregate: 'users', pipeline, cursor: {} });
  });

  it('wraps a profiled update or delete statement back into its command, on the collection its namespace names', () => {
    expect(explainableCommand({ op: 'update', ns: 'roster.users', command: { q: { _id: 'u1', tenantId: 'acme' }, u: { $set: { live: false } }, multi: false, upsert: false } }))
      .toEqual({ update: 'users', updates: [{ q: { _id: 'u1', tenantId: 'acme' }, u: { $set: { live: false } }, multi: false, upsert: false }] });
    expect(explainableCommand({ op: 'remove', ns: 'roster.memberships', command: { q: { member: { $in: ['u1'] } }, limit: 0 } }))
      .toEqual({ delete: 'memberships', deletes: [{ q: { member: { $in: ['u1'] } }, limit: 0 }] });
  });

  it('passes over operations without a plan', () => {
    expect(explainableCommand({ op: 'insert', ns: 'roster.users', command: { insert: 'users', documents: [{}] } })).toBeUndefined();
    expect(explainableCommand({ op: 'getmore', ns: 'roster.users', command: { getMore: 1, collection: 'users' } })).toBeUndefined();
    expect(explainableCommand({ op: 'command', ns: 'roster.$cmd', command: { profile: 0 } })).toBeUndefined();
  });

  it('refuses a command the profiler truncated', () => {
    expect(() => explainableCommand({ op: 'query', ns: 'roster.users', command: { $truncated: '{ find: "users", filter: { _id: { $in: [ "a", "b", …' } }))
      .toThrow(/truncated a query on roster\.users/);
  });
});

describe('isCountCommand', () => {
  it('tells the counts (countDocuments is an aggregation ending in $group) from the reads of documents', () => {
    expect(isCountCommand({ aggregate: 'users', pipeline: [{ $match: {} }, { $group: { _id: 1, n: { $sum: 1 } } }], cursor: {} })).toBe(true);
    expect(isCountCommand({ count: 'users', query: {} })).toBe(true);
    expect(isCountCommand({ aggregate: 'users', pipeline: [{ $match: {} }, { $sort: { created: 1 } }, { $limit: 10 }], cursor: {} })).toBe(false);
    expect(isCountCommand({ find: 'users', filter: {} })).toBe(false);
  });
});
