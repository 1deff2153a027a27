import type { mongo } from 'mongoose';
import type { Collections } from './models';
import { SCHEMAS } from './schemas';

/** A collection's validation rules, as `collMod` sets them and `listCollections` reports them. */
export interface CollectionRules {
  readonly validator: { readonly $jsonSchema: Readonly<Record<string, unknown>> };
  readonly validationLevel: 'moderate';
  readonly validationAction: 'error';
}

/**
 * The rules of one collection: its Mongoose schema (schemas.ts) as a `$jsonSchema` validator.
 * `error`: a write that does not fit is refused (DocumentValidationFailure, a 500 that names a
 * bug) rather than stored. `moderate`: documents that do not fit already (none after `mongo
 * migrate`'s backfills) may still be updated; every insert, and every update of a document that
 * fits, is checked.
 */
export function rulesOf(collection: keyof Collections): CollectionRules {
  return {
    validator: { $jsonSchema: SCHEMAS[collection].toJSONSchema({ useBsonType: true }) as Record<string, unknown> },
    validationLevel: 'moderate',
    validationAction: 'error',
  };
}

/** How the rules of the database's collections are read and set. */
export interface Validators {
  /** A collection's rules; undefined when it has none, or does not exist yet. */
  read(collection: string): Promise<Partial<CollectionRules> | undefined>;
  /** Sets a collection's rules, creating it when it does not exist. */
  write(collection: string, rules: CollectionRules): Promise<void>;
}

/** JSON with every object's keys sorted: two rule sets that differ only in key order compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Whether a collection's rules are `expected` (the server reports them as they were set). */
export const sameRules = (actual: Partial<CollectionRules> | undefined, expected: CollectionRules): boolean =>
  actual !== undefined
  && canonical({ validator: actual.validator, validationLevel: actual.validationLevel, validationAction: actual.validationAction }) === canonical(expected);

/** A collection already exists (a concurrent `mongo migrate` created it first). */
const NAMESPACE_EXISTS = 48;

/** The database's own: `listCollections` to read, `collMod` (or `create`) to set. */
export function driverValidators(db: mongo.Db): Validators {
  return {
    async read(collection) {
      const [info] = await db.listCollections({ name: collection }, { nameOnly: false }).toArray();
      const options = (info as { options?: Partial<CollectionRules> } | undefined)?.options;
      return options?.validator ? options : undefined;
    },
    async write(collection, rules) {
      const exists = (await db.listCollections({ name: collection }, { nameOnly: true }).toArray()).length > 0;
      if (!exists) {
        try {
          await db.createCollection(collection, { ...rules });
          return;
        } catch (error) {
          if ((error as { code?: unknown }).code !== NAMESPACE_EXISTS) throw error;
        }
      }
      await db.command({ collMod: collection, ...rules });
    },
  };
}
