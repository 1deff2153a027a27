import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';

/**
 * Roster as a real process, for what only a process shows: exit codes, stderr lines, signals.
 * `compileRoster()` emits src/ as JavaScript into a temp directory once, without a type check
 * (that is `npm test`'s job), so each spawn starts plain JavaScript quickly.
 */
const ROOT = resolve(__dirname, '..', '..');

export function compileRoster(): string {
  const out = mkdtempSync(join(tmpdir(), 'roster-process-'));
  const program = ts.createProgram(typeScriptFiles(join(ROOT, 'src')), {
    module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, isolatedModules: true,
    rootDir: ROOT, outDir: out, noLib: true, noResolve: true, types: [], noCheck: true,
  });
  program.emit();
  symlinkSync(join(ROOT, 'schemas'), join(out, 'schemas'));
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'));
  return out;
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? typeScriptFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RosterProcess {
  readonly child: ChildProcess;
  /** Resolves with the first stdout line matching `pattern` (rejects if the process exits first). */
  line(pattern: RegExp): Promise<string>;
  readonly exited: Promise<Exit>;
}

const running = new Set<ChildProcess>();

/** Starts `entry` (e.g. src/main.js) from a compiled tree with exactly `env` (plus PATH). */
export function spawnRoster(compiled: string, entry: string, env: Record<string, string>, args: string[] = []): RosterProcess {
  const child = spawn(process.execPath, [join(compiled, entry), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<Exit>((done) => child.on('close', (code, signal) => {
    running.delete(child);
    done({ code, signal, stdout, stderr });
  }));
  const line = (pattern: RegExp) => new Promise<string>((found, failed) => {
    const look = () => {
      const match = stdout.split('\n').find((l) => pattern.test(l));
      if (match) found(match);
      return Boolean(match);
    };
    if (look()) return;
    child.stdout.on('data', look);
    void exited.then((exit) => failed(new Error(`exited (${exit.code}) before printing ${pattern}: ${exit.stderr}${exit.stdout}`)));
  });
  return { child, line, exited };
}

/** Kills every process still running and removes the compiled tree: call in afterAll. */
export function cleanUpRoster(compiled: string | undefined): void {
  for (const child of running) child.kill('SIGKILL');
  if (compiled) rmSync(compiled, { recursive: true, force: true });
}
