/**
 * `npm run bench:chart [-- result.json …]`: draws docs/bench.svg from bench results, side by side
 * (typically 100,000 and 1,000,000 users): throughput and p99 by scenario on log scales, the p99
 * targets marked, with each run's date, machine, start-up, RSS and /Bulk import rate. Without
 * arguments it takes the newest result of each user count in bench/results. No dependencies:
 * the SVG is written as text.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BenchResult } from './results';

const LABEL = 360;
const PANEL = 330;
const GAP = 40;
const BAR = 9;
const TOP = 96;
const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1'];

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const text = (x: number, y: number, content: string, attrs = '') => `<text x="${x}" y="${y}"${attrs ? ` ${attrs}` : ''}>${escape(content)}</text>`;
const figure = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en') : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const users = (n: number) => `${n.toLocaleString('en')} users`;

/** A log10 axis over the values, widened to whole powers of ten. */
function logScale(values: number[]): { at: (v: number) => number; ticks: number[] } {
  const positive = values.filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...positive, 1)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...positive, 1))));
  const at = (v: number) => (Math.max(lo, Math.log10(Math.max(v, 10 ** lo))) - lo) / (hi - lo) * PANEL;
  return { at, ticks: Array.from({ length: hi - lo + 1 }, (_, k) => 10 ** (lo + k)) };
}

export function renderChart(input: readonly BenchResult[]): string {
  if (input.length === 0) throw new Error('no bench results to draw');
  const results = [...input].sort((a, b) => a.users - b.users);
  const ids = [...new Set(results.flatMap((r) => r.scenarios.map((s) => s.id)))];
  const nameOf = (id: string) => results.flatMap((r) => r.scenarios).find((s) => s.id === id)!.name;
  const rowHeight = results.length * (BAR + 2) + 8;
  const height = TOP + ids.length * rowHeight + 40 + results.length * 16;
  const width = LABEL + 2 * PANEL + GAP + 70;
  const find = (r: BenchResult, id: string) => r.scenarios.find((s) => s.id === id);
  const panels = [
    { title: 'Throughput, requests/s (log scale; longer is better)', value: (r: BenchResult, id: string) => find(r, id)?.roster.rps, target: () => undefined },
    { title: 'p99 latency, ms (log scale; shorter is better; | target)', value: (r: BenchResult, id: string) => find(r, id)?.roster.p99, target: (id: string) => results.map((r) => find(r, id)?.p99TargetMs).find((t) => t !== undefined) },
  ];
  const out: string[] = [];
  const machine = results[0].machine;
  out.push(text(10, 22, 'Roster: npm run bench', 'font-size="16" font-weight="bold"'));
  out.push(text(10, 40, `${machine.cpu} × ${machine.cpus}, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.os}`));
  out.push(text(10, 56, results.map((r) => `${users(r.users)}: ${r.date.slice(0, 16).replace('T', ' ')} UTC`).join('   ')));
  results.forEach((r, k) => {
    out.push(`<rect x="${LABEL + k * 180}" y="${64}" width="10" height="10" fill="${COLOURS[k % COLOURS.length]}"/>`);
    out.push(text(LABEL + k * 180 + 14, 73, users(r.users)));
  });
  panels.forEach((panel, p) => {
    const x0 = LABEL + p * (PANEL + GAP);
    const values = results.flatMap((r) => ids.map((id) => panel.value(r, id) ?? 0)).concat(ids.map((id) => panel.target(id) ?? 0));
    const scale = logScale(values);
    out.push(text(x0, TOP - 6, panel.title, 'font-weight="bold"'));
    for (const tick of scale.ticks) {
      const x = x0 + scale.at(tick);
      out.push(`<line x1="${x}" y1="${TOP}" x2="${x}" y2="${TOP + ids.length * rowHeight}" stroke="#ddd"/>`);
      out.push(text(x, TOP + ids.length * rowHeight + 12, tick >= 1 ? tick.toLocaleString('en') : String(tick), 'text-anchor="middle" fill="#666"'));
    }
    ids.forEach((id, row) => {
      const y = TOP + row * rowHeight + 4;
      // The target first, so that the bars' figures are written over it.
      const target = panel.target(id);
      if (target !== undefined) {
        const x = x0 + scale.at(target);
        out.push(`<line x1="${x}" y1="${y - 2}" x2="${x}" y2="${y + rowHeight - 6}" stroke="#c00" stroke-width="2"/>`);
      }
      results.forEach((r, k) => {
        const value = panel.value(r, id);
        if (value === undefined) return;
        const w = Math.max(1, scale.at(value));
        out.push(`<rect x="${x0}" y="${y + k * (BAR + 2)}" width="${w.toFixed(1)}" height="${BAR}" fill="${COLOURS[k % COLOURS.length]}"/>`);
        out.push(text(x0 + w + 3, y + k * (BAR + 2) + BAR - 1, figure(value), 'font-size="9"'));
      });
    });
  });
  ids.forEach((id, row) => out.push(text(LABEL - 8, TOP + row * rowHeight + rowHeight / 2 + 3, nameOf(id), 'text-anchor="end"')));
  const footer = TOP + ids.length * rowHeight + 34;
  results.forEach((r, k) => {
    const imported = r.bulkImport ? `; /Bulk import ${r.bulkImport.usersPerSecond.toLocaleString('en')} users/s (target ≥ 5,000)` : '';
    out.push(text(10, footer + k * 16, `${users(r.users)}: start-up ${r.startup.ms} ms (target < 3,000); RSS after the runs ${r.memory.rssMb ?? '?'} MB, peak ${r.memory.peakMb ?? '?'} MB (target < 300)${imported}`));
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}

/** The newest result of each user count in `dir` (file names start with the date). */
function newestPerSize(dir: string): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().reverse();
  const bySize = new Map<number, string>();
  for (const file of files) {
    const size = (JSON.parse(readFileSync(join(dir, file), 'utf8')) as BenchResult).users;
    if (!bySize.has(size)) bySize.set(size, join(dir, file));
  }
  return [...bySize.values()];
}

if (require.main === module) {
  const root = join(__dirname, '..', '..');
  const files = process.argv.length > 2 ? process.argv.slice(2) : newestPerSize(join(root, 'bench', 'results'));
  const out = join(root, 'docs', 'bench.svg');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, renderChart(files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as BenchResult)));
  console.log(`docs/bench.svg drawn from ${files.join(', ')}`);
}
