import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Whether the TypeScript sources beside a compiled CLI changed after it was built: the CLI runs
 * the compiled files (building on every call took seconds), so a checkout edited or pulled since
 * the last `npm run build` would otherwise run old code without a word. Installed packages have
 * no `src` beside `dist`, and are never stale. Costs a few milliseconds (one stat per file).
 */
export function sourcesNewerThanBuild(distDir: string): boolean {
  const built = mtimeOf(join(distDir, '.tsbuildinfo'));
  const sources = join(distDir, '..', 'src');
  if (built === undefined || mtimeOf(sources) === undefined) return false;
  return newestIn(sources) > built;
}

const mtimeOf = (path: string): number | undefined => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
};

function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}
