import { Context } from 'mingo';

/*
 * mingo as the independent MongoDB engine the compiler tests run queries on. The subpath modules
 * are loaded with require because this project's moduleResolution ("node") ignores the package's
 * exports map; their types come from mingo's own types/ folder.
 */
const { Query } = require('mingo/query') as typeof import('mingo/types/query');
const { Aggregator } = require('mingo/aggregator') as typeof import('mingo/types/aggregator');
const queryOperators = require('mingo/operators/query') as typeof import('mingo/types/operators/query');
const pipelineOperators = require('mingo/operators/pipeline') as typeof import('mingo/types/operators/pipeline');
const expressionOperators = require('mingo/operators/expression') as typeof import('mingo/types/operators/expression');
const accumulatorOperators = require('mingo/operators/accumulator') as typeof import('mingo/types/operators/accumulator');
const projectionOperators = require('mingo/operators/projection') as typeof import('mingo/types/operators/projection');
const { compare, ensureArray, resolve, typeOf } = require('mingo/util') as typeof import('mingo/types/util');

type Doc = Record<string, unknown>;

/**
 * MongoDB compares strings by their UTF-8 bytes (code point order) under its default "simple"
 * collation; mingo compares them with JavaScript's `<`, by UTF-16 units, which puts "😀" before
 * "\uFFFD". The one deviation that matters here is corrected: $gt/$gte/$lt/$lte compare two
 * strings by code point, everything else exactly as mingo's own operators do (any array element
 * may match; values of different types never do).
 */
export function codePointOrder(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

const order = (a: unknown, b: unknown) => (typeof a === 'string' && typeof b === 'string' ? codePointOrder(a, b) : compare(a, b));

function range(holds: (order: number) => boolean) {
  return (selector: string, operand: unknown) => (document: Doc) =>
    ensureArray(resolve(document, selector, { unwrapArray: true })).some((value) => typeOf(value) === typeOf(operand) && holds(order(value, operand)));
}

const codePointRanges = {
  $gt: range((o) => o > 0),
  $gte: range((o) => o >= 0),
  $lt: range((o) => o < 0),
  $lte: range((o) => o <= 0),
};

const context = Context.init({
  // The range operators share mingo's query-operator signature: (selector, operand, options) => predicate.
  query: { ...queryOperators, ...(codePointRanges as unknown as Pick<typeof queryOperators, keyof typeof codePointRanges>) },
  pipeline: pipelineOperators,
  expression: expressionOperators,
  accumulator: accumulatorOperators,
  projection: projectionOperators,
});

/** Plain mingo with its stock operators, to show what the correction above changes. */
export function findStock<T extends object>(documents: readonly T[], query: Doc): T[] {
  const stock = Context.init({ query: queryOperators, projection: projectionOperators, expression: expressionOperators });
  return new Query(query, { context: stock }).find([...documents] as Doc[]).all() as T[];
}

/** `collection.find(query)`. */
export function find<T extends object>(documents: readonly T[], query: Doc): T[] {
  return new Query(query, { context }).find([...documents] as Doc[]).all() as T[];
}

/** `collection.aggregate(pipeline)`, with `$lookup` reading the named collections. */
export function aggregate<T extends object>(documents: readonly T[], pipeline: readonly Doc[], collections: Readonly<Record<string, readonly object[]>>): T[] {
  const collectionResolver = (name: string) => {
    const found = collections[name];
    if (!found) throw new Error(`No collection ${name} in this test`);
    return [...found] as Doc[];
  };
  return new Aggregator([...pipeline], { context, collectionResolver }).run([...documents] as Doc[]) as T[];
}
