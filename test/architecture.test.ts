import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The layers of README "Development" and docs/architecture.md, checked on every import of
 * `src/`: data flows one way, http → app → domain → store → scim. The HTTP layer and the CLI
 * reach the rules and the store only through the application layer (`app`), the only caller
 * of both. `config`, `logger` and `metrics` are leaves any layer may use; `cli` and `main.ts` sit on top
 * and nothing imports them; `main.ts`, the one wiring point, also opens the store.
 */
const SRC = resolve(__dirname, '..', 'src');

const MAY_IMPORT: Record<string, readonly string[]> = {
  main: ['http', 'app', 'store', 'scim', 'config', 'logger', 'metrics'],
  cli: ['cli', 'app', 'store', 'scim', 'config', 'logger', 'metrics'],
  http: ['http', 'app', 'scim', 'config', 'logger', 'metrics'],
  app: ['app', 'domain', 'store', 'scim', 'config', 'logger', 'metrics'],
  domain: ['domain', 'store', 'scim', 'config', 'logger', 'metrics'],
  store: ['store', 'scim', 'config', 'logger', 'metrics'],
  scim: ['scim'],
  config: ['config'],
  logger: ['config'],
  metrics: ['config'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** `src/http/app.ts` → http; `src/main.ts` → main; `src/logger.ts` → logger. */
const layerOf = (file: string): string => relative(SRC, file).split(sep)[0].replace(/\.ts$/, '');

const relativeImports = (source: string): string[] =>
  [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'|require\('(\.{1,2}\/[^']+)'\)|import\('(\.{1,2}\/[^']+)'\)/g)]
    .map((m) => m[1] ?? m[2] ?? m[3]);

describe('layers', () => {
  const files = sourceFiles(SRC);

  it('knows the layer of every file under src/', () => {
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) expect(Object.keys(MAY_IMPORT)).toContain(layerOf(file));
  });

  it('has no upward import: each layer imports only the layers below it', () => {
    const violations = files.flatMap((file) => {
      const from = layerOf(file);
      return relativeImports(readFileSync(file, 'utf8'))
        .map((spec) => ({ spec, to: layerOf(resolve(dirname(file), spec)) }))
        .filter(({ to }) => !MAY_IMPORT[from].includes(to))
        .map(({ spec, to }) => `${relative(SRC, file)} (${from}) imports ${spec} (${to})`);
    });
    expect(violations).toEqual([]);
  });

  it('catches an upward import (the check itself can fail)', () => {
    const file = join(SRC, 'scim', 'x.ts');
    const [spec] = relativeImports("import { Users } from '../app/users';");
    expect(MAY_IMPORT[layerOf(file)]).not.toContain(layerOf(resolve(dirname(file), spec)));
  });

  it('keeps the HTTP layer away from the rules and the store: it calls use cases', () => {
    const file = join(SRC, 'http', 'x.ts');
    for (const statement of ["import { Users } from '../domain/users';", "import type { Store } from '../store/port';"]) {
      const [spec] = relativeImports(statement);
      expect(MAY_IMPORT[layerOf(file)]).not.toContain(layerOf(resolve(dirname(file), spec)));
    }
  });
});
