import { COLLECTIONS } from './documents';
import { INDEXES, LEGACY_INDEXES, type IndexDeclaration } from './indexes';
import type { Collections } from './models';

/** One index as `listIndexes` reports it (the fields Roster compares). */
export interface IndexInfo {
  readonly name: string;
  readonly key: Readonly<Record<string, unknown>>;
  readonly unique?: boolean;
  readonly sparse?: boolean;
  readonly partialFilterExpression?: Readonly<Record<string, unknown>>;
  readonly collation?: unknown;
}

/** Each collection's indexes, by collection name. */
export type IndexesByCollection = Readonly<Record<string, readonly IndexInfo[]>>;

export interface IndexFinding {
  readonly declaration: IndexDeclaration;
  /** present: as declared; missing: no index of that name; different: that name, another definition. */
  readonly state: 'present' | 'missing' | 'different';
  readonly actual?: IndexInfo;
}

/** `users.tenant_userNameKey_unique`. */
export const indexName = (index: { readonly collection: string; readonly name?: string; readonly options?: { readonly name: string } }): string =>
  `${index.collection}.${index.name ?? index.options?.name}`;

const json = (value: unknown) => JSON.stringify(value ?? null);

/**
 * Whether an index is the one declared: the same key (fields, order, directions), unique or
 * not, the same partial filter, no sparse flag and no collation (either changes which queries
 * it can serve, and a unique one what it guarantees).
 */
export function sameIndex(actual: IndexInfo, declared: IndexDeclaration): boolean {
  const key = Object.entries(actual.key).map(([field, direction]) => [field, Number(direction)]);
  return json(key) === json(Object.entries(declared.fields))
    && Boolean(actual.unique) === Boolean(declared.options.unique)
    && json(actual.partialFilterExpression) === json(declared.options.partialFilterExpression)
    && !actual.sparse
    && actual.collation === undefined;
}

/** How each declared index stands among those the database has. */
export function compareIndexes(declared: readonly IndexDeclaration[], actual: IndexesByCollection): IndexFinding[] {
  return declared.map((declaration) => {
    const found = (actual[declaration.collection] ?? []).find((index) => index.name === declaration.options.name);
    if (!found) return { declaration, state: 'missing' };
    return { declaration, state: sameIndex(found, declaration) ? 'present' : 'different', actual: found };
  });
}

/** The indexes of earlier versions that are still there. */
export const legacyPresent = (actual: IndexesByCollection) =>
  LEGACY_INDEXES.filter((legacy) => (actual[legacy.collection] ?? []).some((index) => index.name === legacy.name));

/** listIndexes of a collection that does not exist (yet). */
const NAMESPACE_NOT_FOUND = 26;

/** The indexes of every collection Roster declares indexes on. */
export async function listIndexes(c: Collections): Promise<IndexesByCollection> {
  const indexed = new Set<string>(INDEXES.map((declaration) => declaration.collection));
  const byName = (Object.keys(COLLECTIONS) as (keyof Collections)[]).filter((key) => indexed.has(COLLECTIONS[key])).map((key) => [COLLECTIONS[key], c[key]] as const);
  const result: Record<string, IndexInfo[]> = {};
  for (const [name, collection] of byName) {
    try {
      result[name] = (await collection.indexes()) as unknown as IndexInfo[];
    } catch (error) {
      if ((error as { code?: unknown }).code !== NAMESPACE_NOT_FOUND) throw error;
      result[name] = [];
    }
  }
  return result;
}
