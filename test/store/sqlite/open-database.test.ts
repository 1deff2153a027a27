import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseFileError, databaseFileError, systemReason } from '../../../src/store/sqlite/database-file';
import { openDatabase } from '../../../src/store/sqlite/open-database';

/**
 * A database file that cannot serve is refused at once with the reason in words (the server
 * prints it as one line). Tests run as root, whom file modes do not stop: /sys and /proc are the
 * places even root cannot write. A directory /proc will not create once made start-up loop for
 * ever, so test/main-process.test.ts checks that case in a process it can kill.
 */
const dir = mkdtempSync(join(tmpdir(), 'roster-open-'));
beforeAll(() => {
  mkdirSync(join(dir, 'a-directory'));
  writeFileSync(join(dir, 'a-file'), 'not a directory');
  writeFileSync(join(dir, 'corrupt.db'), 'This is a text file, not a SQLite database: it has no SQLite header at all.'.repeat(20));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a file that cannot be a database', () => {
  it.each([
    ['a directory', join(dir, 'a-directory'), 'it is a directory'],
    ['under a parent that is a file', join(dir, 'a-file', 'roster.db'), `${join(dir, 'a-file')} is a file, not a directory`],
    ['deeper under a parent that is a file', join(dir, 'a-file', 'x', 'roster.db'), `${join(dir, 'a-file')} is a file, not a directory`],
    ['not a SQLite database', join(dir, 'corrupt.db'), 'it is not a SQLite database'],
    ['not a regular file', '/dev/null', 'it is not a regular file'],
    ['in a place no one may write (/sys)', '/sys/roster.db', 'permission denied (EACCES)'],
    ['in /proc, where nothing can be created', '/proc/roster.db', 'the system refuses to create it there (ENOENT)'],
  ])('%s: refused, saying so', (_case, path, reason) => {
    let thrown: unknown;
    try { openDatabase(path); } catch (error) { thrown = error; }
    expect(thrown).toBeInstanceOf(DatabaseFileError);
    expect(thrown).toMatchObject({ file: path, reason });
  });

  it('is left as it was: a corrupt file is not rewritten, no directory is made under a file', () => {
    const corrupt = join(dir, 'corrupt.db');
    const before = readFileSync(corrupt, 'utf8');
    expect(() => openDatabase(corrupt)).toThrow(DatabaseFileError);
    expect(readFileSync(corrupt, 'utf8')).toBe(before);
    expect(() => openDatabase(join(dir, 'a-file', 'x', 'roster.db'))).toThrow(DatabaseFileError);
    expect(existsSync(join(dir, 'a-file', 'x'))).toBe(false);
  });
});

describe('a file that can be a database', () => {
  it('is created with its missing directories and opened', () => {
    const file = join(dir, 'new', 'deeper', 'roster.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const reopened = openDatabase(file);
    expect(reopened.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    reopened.close();
  });
});

describe('system and SQLite errors in words', () => {
  it.each([
    ['EROFS', 'the file system is read-only (EROFS)'],
    ['EACCES', 'permission denied (EACCES)'],
    ['ENOSPC', 'the disk is full (ENOSPC)'],
    ['EWHATEVER', 'something odd happened'],
  ])('%s → %s', (code, reason) => {
    expect(systemReason(Object.assign(new Error('something odd happened'), { code }))).toBe(reason);
  });

  it.each([
    ['SQLITE_NOTADB', 'it is not a SQLite database'],
    ['SQLITE_READONLY_DIRECTORY', 'it, or its directory, is read-only'],
    ['SQLITE_IOERR_SHORT_READ', 'the disk reported an input/output error'],
    ['SQLITE_ERROR', 'table users already exists (SQLITE_ERROR)'],
  ])('%s → %s', (code, reason) => {
    const error = databaseFileError('/x/roster.db', Object.assign(new Error('table users already exists'), { code }));
    expect(error).toMatchObject({ reason, message: `/x/roster.db cannot be opened: ${reason}` });
  });

  it('leaves errors that are not SQLite\'s as they are', () => {
    const bug = new TypeError('a bug');
    expect(databaseFileError('/x/roster.db', bug)).toBe(bug);
  });
});
