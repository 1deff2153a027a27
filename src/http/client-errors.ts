import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_URN } from './errors';
import { SCIM_CONTENT_TYPE } from './respond';

type Answer = readonly [status: number, reason: string, detail: string];

/**
 * Requests Node refuses before Express sees them. Node's own answers have no body; a SCIM client
 * should still get an RFC 7644 §3.12 error saying what to change.
 */
const ANSWERS: Readonly<Record<string, Answer>> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large',
    'The request line and headers are larger than this server accepts; shorten the URL (send a long filter in the body of POST …/.search)'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout',
    'The request was not received in time (REQUEST_TIMEOUT, HEADERS_TIMEOUT); send it at once'],
};
const NOT_HTTP: Answer = [400, 'Bad Request', 'The request is not valid HTTP/1.1'];

/** Answers what Node's parser and deadlines refuse with a SCIM error body, then closes the connection. */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
    // Nothing can be said on a connection that is gone or has already had part of a response.
    if (!socket.writable || socket.bytesWritten > 0 || error.code === 'ECONNRESET') return void socket.destroy();
    const [status, reason, detail] = ANSWERS[error.code ?? ''] ?? NOT_HTTP;
    const body = JSON.stringify({ schemas: [ERROR_URN], status: String(status), detail });
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${SCIM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
