import { renderChart } from '../../bench/chart';
import type { Figures } from '../../bench/load';
import type { BenchResult, ScenarioResult } from '../../bench/results';

/** README "Benchmarks": docs/bench.svg is drawn from the JSON results of `npm run bench`. */

const figures = (rps: number, p99: number): Figures => ({ requests: 400, seconds: 1, rps, p50: p99 / 2, p95: p99 * 0.9, p99, failures: 0 });
const scenario = (id: string, name: string, rps: number, p99: number, p99TargetMs?: number): ScenarioResult =>
  ({ id, name, concurrency: 8, roster: figures(rps, p99), p99TargetMs, comparisons: [] });

const run = (users: number, date: string, scenarios: ScenarioResult[]): BenchResult => ({
  date,
  machine: { os: 'Linux 6.1', cpu: 'Test CPU @ 2.0GHz', cpus: 2, memoryGb: 24, node: 'v20.19.0' },
  users,
  method: 'test',
  settings: { requests: 400, maxSeconds: 15, warmUp: 20 },
  seeding: { seconds: 60, cached: false },
  coSearch: { operand: 'basen', matches: 12 },
  startup: { ms: 812, targetMs: 3000, pass: true },
  memory: { rssMb: 187, peakMb: 241, targetMb: 300, pass: true },
  scenarios,
  bulkImport: { users: 100_000, perRequest: 1000, seconds: 14, usersPerSecond: 7_142, failures: 0, slowestMs: 300, targetUsersPerSecond: 5000, pass: true },
});

const at100k = run(100_000, '2026-11-24T05:00:00.000Z', [
  scenario('okta-1', 'Okta lookup: userName eq, 1 conn.', 1234, 2.5, 5),
  scenario('page-first', 'Page of 100: first', 456, 31.25, 50),
]);
const at1m = run(1_000_000, '2026-11-24T06:00:00.000Z', [
  scenario('okta-1', 'Okta lookup: userName eq, 1 conn.', 1100, 3.75, 5),
  scenario('page-first', 'Page of 100: first', 87.5, 48.5, 50),
  scenario('co-user-name', 'userName co (5 letters, few users) & <more>', 9, 140, 50),
]);

describe('the benchmark chart (bench/chart.ts)', () => {
  const svg = renderChart([at1m, at100k]);

  it('is one SVG document', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('names each scenario of every run once, escaped for XML', () => {
    for (const name of ['Okta lookup: userName eq, 1 conn.', 'Page of 100: first']) expect(svg.split(`>${name}<`)).toHaveLength(2);
    expect(svg).toContain('>userName co (5 letters, few users) &amp; &lt;more&gt;<');
  });

  it.each([
    ['req/s at 100,000 users', '1,234'],
    ['req/s at 1,000,000 users', '1,100'],
    ['req/s under 100', '87.5'],
    ['p99 under 10 ms', '2.50'],
    ['p99 at 1,000,000 users', '48.5'],
  ])('shows each figure: %s', (_label, shown) => {
    expect(svg).toContain(`>${shown}</text>`);
  });

  it('draws one bar per run and scenario in each of its two panels (throughput, p99)', () => {
    expect(svg.match(/<rect x="\d+" y="[\d.]+" width="[\d.]+" height="9"/g)).toHaveLength(2 * (2 + 3));
  });

  it('marks the p99 target of each scenario that has one', () => {
    expect(svg.match(/stroke="#c00"/g)).toHaveLength(3);
  });

  it('says when and on what machine, and the run-wide figures, smallest run first', () => {
    expect(svg).toContain('Test CPU @ 2.0GHz × 2, 24 GB, Node v20.19.0, Linux 6.1');
    expect(svg).toContain('100,000 users: 2026-11-24 05:00 UTC   1,000,000 users: 2026-11-24 06:00 UTC');
    expect(svg).toContain('start-up 812 ms (target &lt; 3,000); RSS after the runs 187 MB, peak 241 MB (target &lt; 300); /Bulk import 7,142 users/s (target ≥ 5,000)');
  });

  it('refuses to draw nothing', () => {
    expect(() => renderChart([])).toThrow('no bench results to draw');
  });
});
