/**
 * An identity provider's initial import: `total` new users through POST /Bulk, `perRequest`
 * POST /Users operations a request, one request at a time (concurrency 1, as a provisioning job
 * sends them), timed from the first request to the last answer. Each operation's own status is
 * read from the BulkResponse: an operation that failed counts as a failure, not as imported.
 */
import http from 'node:http';
import { requestJson } from './scim-client';
import { userBody } from './people';

export interface ImportFigures {
  readonly users: number;
  readonly perRequest: number;
  readonly seconds: number;
  readonly usersPerSecond: number;
  readonly failures: number;
  /** Slowest request, in ms. */
  readonly slowestMs: number;
}

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

export async function bulkImport(port: number, token: string, basePath: string, total: number, perRequest: number, firstIndex: number): Promise<ImportFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const started = process.hrtime.bigint();
  let failures = 0;
  let slowestMs = 0;
  let reported = Date.now();
  for (let done = 0; done < total; done += perRequest) {
    const size = Math.min(perRequest, total - done);
    const Operations = Array.from({ length: size }, (_, k) => {
      const i = firstIndex + done + k;
      return { method: 'POST', path: '/Users', bulkId: `u${i}`, data: userBody(i, `imported.${i}@example.com`) };
    });
    const t0 = process.hrtime.bigint();
    const { status, body } = await requestJson(agent, port, token, `${basePath}/Bulk`, 'POST', { schemas: [BULK], Operations });
    slowestMs = Math.max(slowestMs, Number(process.hrtime.bigint() - t0) / 1e6);
    const results = Array.isArray(body.Operations) ? (body.Operations as { status?: string | number }[]) : [];
    failures += status >= 400 ? size : results.filter((op) => Number(op.status) >= 400).length + (size - results.length);
    if (Date.now() - reported >= 5_000) {
      reported = Date.now();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(`  /Bulk import: ${(done + size).toLocaleString('en')} / ${total.toLocaleString('en')} users, ${((done + size) / seconds).toFixed(0)} users/s`);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { users: total, perRequest, seconds: Math.round(seconds * 100) / 100, usersPerSecond: Math.round(total / seconds), failures, slowestMs: Math.round(slowestMs) };
}
