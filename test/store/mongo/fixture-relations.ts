import type { RelationResolver } from '../../../src/store/mongo/compile-filter';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { relationResolver } from '../../../src/store/mongo/mongo-relations';
import { scopeTo } from '../../../src/store/mongo/scoped-collection';
import { FakeDatabase, type JournalEntry } from '../contract/mingo-collections';
import { FIXTURE_TENANT, type MongoFixtures } from './mongo-fixtures';

export interface RecordingRelations extends RelationResolver {
  /** The methods the compiler called, in order, each with its arguments. */
  readonly calls: { readonly method: keyof RelationResolver; readonly args: readonly unknown[] }[];
  /** What reached the collections (the fake database's journal). */
  readonly journal: JournalEntry[];
}

/**
 * The store's own RelationResolver (mongo-relations.ts) over the fixture documents, held in the
 * mingo-backed fake collections of the contract tests, scoped to the fixtures' tenant. Records
 * each call, so tests can check which look-up answered a filter and what it was asked.
 */
export async function fixtureRelations(fixtures: MongoFixtures): Promise<RecordingRelations> {
  const database = new FakeDatabase();
  for (const [name, documents] of Object.entries(fixtures.collections)) {
    for (const document of documents) await database.collection(name).insertOne(structuredClone(document) as Record<string, unknown>);
  }
  // An unrelated tenant's group, which no look-up of the fixtures' tenant may see.
  await database.collection(COLLECTIONS.groups).insertOne({ _id: 'other-tenant-group', tenantId: 'other', displayNameKey: 'sales', data: {}, q: {} });
  const journal: JournalEntry[] = [];
  database.journal = journal;
  const inner = relationResolver(scopeTo(database.asCollections(), FIXTURE_TENANT, database.runtime()));
  const calls: RecordingRelations['calls'] = [];
  const record = <K extends keyof RelationResolver>(method: K) =>
    ((...args: unknown[]) => {
      calls.push({ method, args });
      return (inner[method] as (...a: unknown[]) => unknown)(...args);
    }) as RelationResolver[K];
  return {
    calls,
    journal,
    groupExists: record('groupExists'),
    groupIdsOfUser: record('groupIdsOfUser'),
    groupsMatching: record('groupsMatching'),
    groupIdsOfUsersMatching: record('groupIdsOfUsersMatching'),
  };
}
