import fc from 'fast-check';
import { ERROR_URN } from '../../support/test-app';
import { DEEP_ARRAYS, DEEP_OBJECTS } from '../arbitraries/json';
import type { Exchange, Reply } from './property-app';

/**
 * How every property runs: a fixed seed and a bounded number of runs, so `npm test` is
 * repeatable and quick. To hunt for more counterexamples locally, change the seed and scale
 * the runs, e.g. `PROPERTY_SEED=7 PROPERTY_RUNS=5 npx jest test/property`; a failure prints
 * the seed and path that replay it. Seed 4 is one at which every property file found a 500 in
 * the code before issue 8 (see the issue's notes), so it keeps guarding those.
 */
const PROPERTY_SEED = Number(process.env.PROPERTY_SEED ?? 4);
const RUN_FACTOR = Number(process.env.PROPERTY_RUNS ?? 1);
/** Bounds the shrinking of a failure against a live server (a success never gets near it). */
const TIME_LIMIT_MS = 40_000;
/** For jest: a property file's test may take this long. */
export const PROPERTY_TIMEOUT_MS = 60_000 * RUN_FACTOR;

/**
 * Checks `predicate` over `numRuns` values. The counterexample fast-check prints is abbreviated
 * (a 1,000-term filter would fill the screen); the predicate's own error gives the request.
 */
export async function holds<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, numRuns: number): Promise<void> {
  const printable = arbitrary.map((value) => Object.defineProperty({ value }, fc.toStringMethod, { value: () => shown(value, 3000) }));
  await fc.assert(fc.asyncProperty(printable, ({ value }) => predicate(value)), {
    seed: PROPERTY_SEED,
    numRuns: Math.max(1, Math.round(numRuns * RUN_FACTOR)),
    includeErrorInReport: true,
    plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS * RUN_FACTOR)],
  });
}

/** RFC 7644 §3.12 scimType values, plus RFC 9865's cursor errors. */
const SCIM_TYPES = new Set([
  'invalidFilter', 'tooMany', 'uniqueness', 'mutability', 'invalidSyntax', 'invalidPath', 'noTarget', 'invalidValue',
  'invalidVers', 'sensitive', 'invalidCursor', 'expiredCursor', 'invalidCount',
]);

/**
 * What is wrong with an answer whatever the request: a 5xx, or an error body without the
 * RFC 7644 §3.12 shape (a 400 must say which scimType). Empty when nothing is.
 */
export function answerProblems(reply: Reply): string[] {
  if (reply.status >= 500) return [`the server answered ${reply.status}`];
  // Node's HTTP parser answers a request line over its 16 KB limit before the app sees it.
  if (reply.status < 400 || reply.status === 431) return [];
  const body = reply.body ?? {};
  const problems: string[] = [];
  if (JSON.stringify(body.schemas) !== JSON.stringify([ERROR_URN])) problems.push(`error schemas is ${JSON.stringify(body.schemas)}`);
  if (body.status !== String(reply.status)) problems.push(`error status is ${JSON.stringify(body.status)}, not "${reply.status}"`);
  if (typeof body.detail !== 'string' || body.detail.length < 10) problems.push('error has no detail a person can read');
  if (reply.status === 400 && !SCIM_TYPES.has(body.scimType)) problems.push(`400 with scimType ${JSON.stringify(body.scimType)}`);
  if (body.scimType !== undefined && !SCIM_TYPES.has(body.scimType)) problems.push(`unknown scimType ${JSON.stringify(body.scimType)}`);
  return problems;
}

/** JSON with long strings cut short, itself cut at `limit` characters. */
const shown = (value: unknown, limit = 1500) => {
  const cut = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}… (${text.length} characters)` : text);
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? cut(v) : v)) ?? String(value);
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} characters)` : text;
};

/** A server error line with the top of its stack (the frames in Roster's own code say where). */
function logLine(line: object): string {
  const { message, error, ...rest } = line as { message?: string; error?: { name?: string; message?: string; stack?: string } };
  const stack = (error?.stack ?? '').split('\n').slice(1, 9).join('\n');
  return `server log: ${message} ${shown(rest, 300)}\n  ${error?.name}: ${error?.message}\n${stack}`;
}

/** Fails the run with the problems, the request that caused them, the answer and the server's error log. */
export function verdict(exchange: Exchange, reply: Reply, problems: readonly string[]): void {
  if (problems.length === 0) return;
  throw new Error([
    ...problems.map((p) => `- ${p}`),
    `request: ${exchange.method} ${shown(exchange.path).slice(1, -1)}${exchange.body === undefined ? '' : `\n  ${shown(exchange.body)}`}`,
    ...([DEEP_ARRAYS, DEEP_OBJECTS].some((deep) => JSON.stringify(exchange.body ?? null).includes(deep)) ? [`  (each "${DEEP_ARRAYS}" or "${DEEP_OBJECTS}" was sent as JSON nested that deep)`] : []),
    `response: ${reply.status} ${shown(reply.body)}`,
    ...reply.serverErrors.map(logLine),
  ].join('\n'));
}
