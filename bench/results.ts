/**
 * One run's results: what bench/results/<date>-<users>.json holds (the chart is drawn from these
 * files), and the console table printed from them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { ImportFigures } from './bulk-import';
import type { Figures } from './load';

export interface Comparison {
  /** "store", "memory", or the id of the scenario compared with. */
  readonly against: string;
  readonly figures: Figures;
  /** Roster's throughput over the baseline's. */
  readonly ratio: number;
  readonly minRatio?: number;
  readonly pass?: boolean;
}

export interface ScenarioResult {
  readonly id: string;
  readonly name: string;
  readonly concurrency: number;
  readonly roster: Figures;
  readonly p99TargetMs?: number;
  readonly p99Pass?: boolean;
  readonly comparisons: readonly Comparison[];
}

export interface Machine {
  readonly os: string;
  readonly cpu: string;
  readonly cpus: number;
  readonly memoryGb: number;
  readonly node: string;
}

export interface BenchResult {
  readonly date: string;
  readonly machine: Machine;
  readonly users: number;
  readonly method: string;
  readonly settings: { readonly requests: number; readonly maxSeconds: number; readonly warmUp: number };
  readonly seeding: { readonly seconds: number; readonly cached: boolean };
  /** The `co` scenarios' operand and how many users it matches (few, as a real search would). */
  readonly coSearch: { readonly operand: string; readonly matches: number };
  readonly startup: { readonly ms: number; readonly targetMs: number; readonly pass: boolean };
  readonly memory: { readonly rssMb?: number; readonly peakMb?: number; readonly targetMb: number; readonly pass?: boolean };
  readonly scenarios: readonly ScenarioResult[];
  readonly bulkImport?: ImportFigures & { readonly targetUsersPerSecond: number; readonly pass: boolean };
}

export function thisMachine(): Machine {
  const cpus = os.cpus();
  return { os: `${os.type()} ${os.release()}`, cpu: cpus[0]?.model.trim() ?? 'unknown', cpus: cpus.length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}

/** Writes bench/results/<date>-<users>.json (next to the sources, not in dist-bench); returns its path. */
export function saveResult(result: BenchResult, root: string): string {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${result.date.replace(/[:.]/g, '-')}-${result.users}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

const verdict = (pass: boolean | undefined) => (pass === undefined ? '' : pass ? 'pass' : 'FAIL');
const num = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(n >= 10 ? 1 : 2));

/** scenario | Roster req/s | p50 | p99 | baseline req/s | ratio | target | pass/fail, one line per comparison. */
export function printTable(result: BenchResult): void {
  const rows: string[][] = [['Scenario', 'conn', 'req/s', 'p50 ms', 'p99 ms', 'fail', 'baseline', 'req/s', 'ratio', 'target', '']];
  for (const s of result.scenarios) {
    const { roster: r } = s;
    const own = [s.name, String(s.concurrency), num(r.rps), num(r.p50), num(r.p99), r.failures ? String(r.failures) : ''];
    const p99 = s.p99TargetMs === undefined ? [] : [['', '', '', `p99 < ${s.p99TargetMs} ms`, verdict(s.p99Pass)]];
    const compared = s.comparisons.map((c) => [c.against, num(c.figures.rps), `${(c.ratio * 100).toFixed(0)} %`, c.minRatio === undefined ? '' : `≥ ${c.minRatio * 100} %`, verdict(c.pass)]);
    const extra = [...p99, ...compared];
    if (extra.length === 0) extra.push(['', '', '', '', '']);
    extra.forEach((cells, k) => rows.push([...(k === 0 ? own : own.map(() => '')), ...cells]));
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 || c === 6 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  console.log(['', line(rows[0]), ...rows.slice(1).map(line)].join('\n'));
  const { startup, memory, bulkImport } = result;
  console.log(`\nStart-up (spawn → first 200 from /healthz): ${startup.ms.toFixed(0)} ms (target < ${startup.targetMs} ms) ${verdict(startup.pass)}`);
  console.log(`RSS after the runs: ${memory.rssMb?.toFixed(0) ?? '?'} MB, peak ${memory.peakMb?.toFixed(0) ?? '?'} MB (target < ${memory.targetMb} MB) ${verdict(memory.pass)}`);
  if (bulkImport) console.log(`/Bulk import: ${bulkImport.users.toLocaleString('en')} users, ${bulkImport.perRequest} a request, in ${bulkImport.seconds} s: ${bulkImport.usersPerSecond.toLocaleString('en')} users/s, ${bulkImport.failures} failed, slowest request ${bulkImport.slowestMs} ms (target ≥ ${bulkImport.targetUsersPerSecond.toLocaleString('en')}/s) ${verdict(bulkImport.pass)}`);
}
