import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * README "Console": the console's own layers, one way like the server's: views → state → api.
 * The API client is the only place that talks HTTP, and the console imports nothing of the
 * server (it is served as static files; it reaches data only through the APIs).
 */
const CONSOLE = resolve(__dirname, '..', '..', 'console', 'src');

const MAY_IMPORT: Record<string, readonly string[]> = {
  api: ['api'],
  state: ['state', 'api'],
  views: ['views', 'state', 'api'],
  main: ['views'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(path) ? [path] : [];
  });
}

const layerOf = (file: string): string => relative(CONSOLE, file).split(sep)[0].replace(/\.tsx?$/, '');
const relativeImports = (source: string): string[] =>
  [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'|import\s+'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] ?? m[2]);

/** The violations in a set of files: `file (layer) imports spec (layer)`. */
function violations(files: readonly { path: string; source: string }[]): string[] {
  return files.flatMap(({ path, source }) => {
    const from = layerOf(path);
    return relativeImports(source)
      .filter((spec) => !spec.endsWith('.css'))
      .map((spec) => ({ spec, target: resolve(dirname(path), spec) }))
      .filter(({ target }) => !target.startsWith(CONSOLE) || !(MAY_IMPORT[from] ?? []).includes(layerOf(target)))
      .map(({ spec, target }) => `${relative(CONSOLE, path)} (${from}) imports ${spec} (${target.startsWith(CONSOLE) ? layerOf(target) : 'outside the console'})`);
  });
}

describe('the console\'s layers', () => {
  const files = sourceFiles(CONSOLE).map((path) => ({ path, source: readFileSync(path, 'utf8') }));

  it('knows the layer of every file under console/src', () => {
    expect(files.length).toBeGreaterThan(10);
    for (const { path } of files) expect(Object.keys(MAY_IMPORT)).toContain(layerOf(path));
  });

  it('imports only downwards (views → state → api) and nothing of the server', () => {
    expect(violations(files)).toEqual([]);
  });

  it('talks HTTP only in console/src/api', () => {
    const talkers = files.filter(({ path, source }) => layerOf(path) !== 'api' && /\bfetch\s*\(|XMLHttpRequest|new WebSocket|EventSource/.test(source));
    expect(talkers.map(({ path }) => relative(CONSOLE, path))).toEqual([]);
  });

  it('catches an upward import and an import of the server (the check itself can fail)', () => {
    expect(violations([
      { path: join(CONSOLE, 'api', 'x.ts'), source: "import { useLoad } from '../state/use-load';" },
      { path: join(CONSOLE, 'state', 'y.ts'), source: "import type { Config } from '../../../src/config/config';" },
      { path: join(CONSOLE, 'views', 'z.tsx'), source: "import { App } from './app';" },
    ])).toEqual([
      'api/x.ts (api) imports ../state/use-load (state)',
      'state/y.ts (state) imports ../../../src/config/config (outside the console)',
    ]);
  });
});
