import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import request from 'supertest';
import winston from 'winston';
import * as loggerModule from '../../../src/logger';
import { expandDeepValues } from '../arbitraries/json';
import { BASE, startTestApp } from '../../support/test-app';

/**
 * One request as a property generated it; `body` is sent as JSON text (with the deep-nesting
 * stand-ins of arbitraries/json expanded), `undefined` sends none.
 */
export interface Exchange {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under the SCIM base path, query string included. */
  readonly path: string;
  readonly body?: unknown;
}

export interface Reply {
  readonly status: number;
  readonly body: any;
  /** The error lines the server logged while answering (the stack of a 500). */
  readonly serverErrors: readonly object[];
}

/**
 * The real application over a real SQLite file (startTestApp), served by one listening server
 * so that every URL it writes stays the same from request to request (supertest would otherwise
 * listen on a new port each time, and meta.location would differ between two reads).
 *
 * Rate limits are off: a property sends hundreds of requests a second with one token.
 * The logger is the real winston logger at level error, writing to memory instead of stdout,
 * so that a failing property can print the server's own account of a 500.
 */
export interface PropertyApp {
  send(exchange: Exchange): Promise<Reply>;
  close(): Promise<void>;
}

export async function startPropertyApp(): Promise<PropertyApp> {
  const logged: object[] = [];
  const capture = new Writable({ objectMode: true, write: (line, _encoding, done) => { logged.push(line); done(); } });
  const spy = jest.spyOn(loggerModule, 'createLogger').mockImplementation(() =>
    winston.createLogger({
      level: 'error',
      format: winston.format.combine(winston.format.errors({ stack: true }), winston.format.json()),
      transports: [new winston.transports.Stream({ stream: capture })],
    }));
  const t = await startTestApp({ rateLimitPerToken: undefined, rateLimitAuthFailures: undefined }).finally(() => spy.mockRestore());
  const server: Server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));

  return {
    async send({ method, path, body }) {
      logged.length = 0;
      let test = request(server)[method.toLowerCase() as 'get'](BASE + path).set('Authorization', `Bearer ${t.token}`);
      if (body !== undefined) test = test.set('Content-Type', 'application/scim+json').send(expandDeepValues(JSON.stringify(body)));
      const res = await test;
      return { status: res.status, body: res.body, serverErrors: [...logged] };
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    },
  };
}
