import { ScimError, conflict, preconditionFailed } from '../scim/errors';
import type { ExpectedVersion, UpdateResult } from '../store/port';
import { asScimFailure } from './failures';

const MAX_ATTEMPTS = 10;

/**
 * Optimistic concurrency: read, change, write conditionally on the version read. When another
 * writer got in between, start again from what it wrote; when the client itself named the
 * version (If-Match), a mismatch is its answer (412). No in-process lock: this holds across
 * any number of Roster instances sharing a store.
 */
export async function conditionalWrite<T extends { version: number }, R>(
  read: () => Promise<T | undefined>,
  write: (current: T, expected: number) => Promise<UpdateResult<R> | 'unchanged'>,
  clientExpected: ExpectedVersion,
  notFound: () => ScimError,
): Promise<R | T> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await read();
    if (!current) throw notFound();
    if (clientExpected !== undefined && current.version !== clientExpected) throw versionMismatch(current.version);
    const result = await write(current, current.version).catch(asScimFailure);
    if (result === 'unchanged') return current;
    if (result.status === 'updated') return result.resource;
    if (result.status === 'notFound') throw notFound();
    if (clientExpected !== undefined) throw versionMismatch(result.current);
  }
  throw conflict('The resource is being changed by other requests right now; try again');
}

const versionMismatch = (current: number) =>
  preconditionFailed(`The resource has changed: its version is now W/"${current}"; read it again before writing`);
