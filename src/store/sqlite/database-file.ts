import { closeSync, constants, mkdirSync, openSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';

/** The database file cannot be used; `reason` says why in words a person can act on. */
export class DatabaseFileError extends Error {
  override name = 'DatabaseFileError';
  constructor(readonly file: string, readonly reason: string) {
    super(`${file} cannot be opened: ${reason}`);
  }
}

/**
 * Makes sure `file` can be a database before SQLite sees it: its directory exists (created level
 * by level) and the file is, or can be created as, a regular writable file. SQLite itself only
 * says "unable to open database file"; the system's own error says why.
 */
export function prepareDatabaseFile(file: string): void {
  try {
    ensureDirectory(file, dirname(file));
    const stats = statOf(file);
    if (stats?.isDirectory()) throw new DatabaseFileError(file, 'it is a directory');
    if (stats && !stats.isFile()) throw new DatabaseFileError(file, 'it is not a regular file');
    closeSync(openSync(file, constants.O_RDWR | constants.O_CREAT, 0o600));
  } catch (error) {
    throw error instanceof DatabaseFileError ? error : new DatabaseFileError(file, systemReason(error));
  }
}

/** What SQLite's error, raised while opening or migrating, means for the person starting Roster. */
export function databaseFileError(file: string, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  const reason = SQLITE_REASONS[code.replace(/^(SQLITE_[A-Z]+).*/, '$1')] ?? `${(error as Error).message} (${code})`;
  return new DatabaseFileError(file, reason);
}

const SQLITE_REASONS: Readonly<Record<string, string>> = {
  SQLITE_NOTADB: 'it is not a SQLite database',
  SQLITE_CORRUPT: 'the database is damaged',
  SQLITE_READONLY: 'it, or its directory, is read-only',
  SQLITE_CANTOPEN: 'SQLite cannot open it or create its journal next to it',
  SQLITE_BUSY: 'another process holds a lock on it',
  SQLITE_FULL: 'the disk is full',
  SQLITE_IOERR: 'the disk reported an input/output error',
};

/**
 * Creates the missing directories one level at a time. (Node's recursive mkdir loops for ever
 * when the system answers ENOENT for a directory it will never create, as /proc does.)
 */
function ensureDirectory(file: string, dir: string): void {
  const missing: string[] = [];
  let existing = dir;
  let stats = statOf(existing);
  while (!stats && dirname(existing) !== existing) {
    missing.unshift(existing);
    existing = dirname(existing);
    stats = statOf(existing);
  }
  if (stats && !stats.isDirectory()) throw new DatabaseFileError(file, `${existing} is a file, not a directory`);
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      throw new DatabaseFileError(file, `its directory ${level} cannot be created: ${systemReason(error)}`);
    }
  }
}

/** The path's stats, or undefined when nothing is there (ENOTDIR: a parent is a file). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

const SYSTEM_REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOENT: 'the system refuses to create it there',
  ENOSPC: 'the disk is full',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links',
  EISDIR: 'it is a directory',
};

/** A system error in words, with its code for searching (EACCES, EROFS…). */
export function systemReason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const reason = code ? SYSTEM_REASONS[code] : undefined;
  return reason ? `${reason} (${code})` : message;
}
