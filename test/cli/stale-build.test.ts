import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourcesNewerThanBuild } from '../../src/cli/stale-build';

/** The CLI runs compiled files; it warns when the sources beside them changed after the build. */
describe('sourcesNewerThanBuild', () => {
  let root: string;
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'roster-stale-'));
    mkdirSync(join(root, 'src', 'cli'), { recursive: true });
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'src', 'cli', 'main.ts'), '');
    writeFileSync(join(root, 'dist', '.tsbuildinfo'), '');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is false when every source is older than the build', () => {
    at(join(root, 'src', 'cli', 'main.ts'), 1_000);
    at(join(root, 'dist', '.tsbuildinfo'), 2_000);
    expect(sourcesNewerThanBuild(join(root, 'dist'))).toBe(false);
  });

  it('is true when a source in a nested directory changed after the build', () => {
    at(join(root, 'src', 'cli', 'main.ts'), 3_000);
    at(join(root, 'dist', '.tsbuildinfo'), 2_000);
    expect(sourcesNewerThanBuild(join(root, 'dist'))).toBe(true);
  });

  it('is false for an installed package (no src beside dist) and for a build without its record', () => {
    rmSync(join(root, 'src'), { recursive: true });
    expect(sourcesNewerThanBuild(join(root, 'dist'))).toBe(false);
    mkdirSync(join(root, 'src'));
    rmSync(join(root, 'dist', '.tsbuildinfo'));
    expect(sourcesNewerThanBuild(join(root, 'dist'))).toBe(false);
  });
});
