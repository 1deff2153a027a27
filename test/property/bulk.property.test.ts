import { bulkRequestBody } from './arbitraries/bulk';
import { stamp } from './arbitraries/resources';
import { storeProblems } from './support/consistency';
import type { KnownIds } from './arbitraries/values';
import { seedDirectory } from './support/directory';
import { startPropertyApp, type Exchange, type PropertyApp, type Reply } from './support/property-app';
import { PROPERTY_TIMEOUT_MS, answerProblems, holds, verdict } from './support/properties';

/**
 * Random /Bulk requests (RFC 7644 §3.7). Whatever the request: the response is never a 5xx;
 * a 200 is a BulkResponse whose every operation has a string status below 500 (a 500 inside an
 * operation is a failure too: the client cannot tell what was written); a refused request runs
 * nothing; and the store stays consistent (support/consistency.ts).
 */
const BULK_RESPONSE_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

describe('POST /Bulk with random operations', () => {
  let app: PropertyApp;
  let directory: KnownIds;
  let run = 0;

  beforeAll(async () => {
    app = await startPropertyApp();
    directory = await seedDirectory(app, 'bulk');
  });
  afterAll(() => app.close());

  const totals = async () => {
    const [users, groups] = await Promise.all(['/Users', '/Groups'].map((p) => app.send({ method: 'GET', path: `${p}?count=0` })));
    return `${users.body.totalResults} users, ${groups.body.totalResults} groups`;
  };

  function bulkResponseProblems(request: unknown, reply: Reply): string[] {
    if (reply.status !== 200) return [];
    const { schemas, Operations } = reply.body ?? {};
    const sent = (request as { Operations?: unknown[] }).Operations ?? [];
    if (JSON.stringify(schemas) !== JSON.stringify([BULK_RESPONSE_URN]) || !Array.isArray(Operations)) return [`not a BulkResponse: ${JSON.stringify(reply.body)}`];
    const problems = Operations.length > sent.length ? [`${Operations.length} results for ${sent.length} operations`] : [];
    Operations.forEach((result: { status?: unknown; response?: unknown }, i: number) => {
      if (typeof result?.status !== 'string' || !/^[1-5]\d\d$/.test(result.status)) problems.push(`Operations[${i}] has status ${JSON.stringify(result?.status)}`);
      else if (Number(result.status) >= 500) problems.push(`Operations[${i}] failed with ${result.status}: ${JSON.stringify(result.response)} (sent ${JSON.stringify(sent[i])})`);
    });
    return problems;
  }

  it('answers any bulk request below 500 with no operation failing at 500, runs nothing when it refuses the request, and keeps the store consistent', async () => {
    await holds(bulkRequestBody(directory), async (generated) => {
      const body = stamp(generated, `bulk${++run}`);
      const exchange: Exchange = { method: 'POST', path: '/Bulk', body };
      const before = await totals();
      const reply = await app.send(exchange);
      const problems = [...answerProblems(reply), ...bulkResponseProblems(body, reply)];
      if (reply.status >= 400 && (await totals()) !== before) problems.push(`the refused bulk request changed the directory: ${before} before, ${await totals()} after`);
      problems.push(...(await storeProblems(app)));
      verdict(exchange, reply, problems);
    }, 120);
  }, PROPERTY_TIMEOUT_MS);
});
