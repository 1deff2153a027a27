import fc from 'fast-check';
import { LIST_URN } from '../support/test-app';
import { realPaths } from './arbitraries/attribute-paths';
import { forgeCursor, forgedPosition, filterRequest, listRequest } from './arbitraries/list-requests';
import { grammarFilter, longChain, mutatedFilter } from './arbitraries/filters';
import { hasPasswordKey } from './support/consistency';
import { seedDirectory } from './support/directory';
import { startPropertyApp, type Exchange, type PropertyApp, type Reply } from './support/property-app';
import { PROPERTY_TIMEOUT_MS, answerProblems, holds, verdict } from './support/properties';

/**
 * Random filters and list parameters (RFC 7644 §3.4.2, §3.4.3, RFC 9865) against every list
 * endpoint: whatever a client sends, the answer is below 500; a refusal is a SCIM error with a
 * scimType; a success is a ListResponse whose resources carry id and schemas and no password.
 */
describe('list requests with random filters and parameters', () => {
  let app: PropertyApp;

  beforeAll(async () => {
    app = await startPropertyApp();
    await seedDirectory(app, 'filters');
  });
  afterAll(() => app.close());

  function listProblems(reply: Reply): string[] {
    if (reply.status !== 200) return [];
    const { schemas, totalResults, Resources } = reply.body ?? {};
    const problems: string[] = [];
    if (JSON.stringify(schemas) !== JSON.stringify([LIST_URN])) problems.push(`ListResponse schemas is ${JSON.stringify(schemas)}`);
    if (!Number.isInteger(totalResults) || totalResults < 0) problems.push(`totalResults is ${JSON.stringify(totalResults)}`);
    if (!Array.isArray(Resources) || Resources.length > totalResults) problems.push(`Resources is not a page of totalResults: ${Resources?.length} of ${totalResults}`);
    for (const resource of Array.isArray(Resources) ? Resources : []) {
      if (typeof resource?.id !== 'string' || !Array.isArray(resource?.schemas)) problems.push(`a resource lacks id or schemas: ${JSON.stringify(resource)}`);
      if (hasPasswordKey(resource)) problems.push('a resource is served with its password');
    }
    return problems;
  }

  const answersWell = async (exchange: Exchange): Promise<Reply> => {
    const reply = await app.send(exchange);
    verdict(exchange, reply, [...answerProblems(reply), ...listProblems(reply)]);
    return reply;
  };

  it('answers a filter built from the RFC 7644 grammar below 500, and refuses it only with a SCIM error', async () => {
    await holds(filterRequest(grammarFilter), async (exchange) => void (await answersWell(exchange)), 300);
  }, PROPERTY_TIMEOUT_MS);

  it('answers raw strings and valid filters with a few characters changed below 500', async () => {
    const noise = () => fc.string({ unit: 'grapheme', maxLength: 40 });
    await holds(fc.oneof(filterRequest(mutatedFilter), filterRequest(noise)), async (exchange) => void (await answersWell(exchange)), 250);
  }, PROPERTY_TIMEOUT_MS);

  it('answers an and/or chain of about 100 or 1,000 comparisons below 500 (past MAX_FILTER_TERMS, a 400 invalidFilter)', async () => {
    await holds(filterRequest(() => longChain, { get: false }), async (exchange) => {
      const reply = await answersWell(exchange);
      if (reply.status === 400 && reply.body.scimType !== 'invalidFilter') verdict(exchange, reply, ['a filter too long is refused with another scimType than invalidFilter']);
    }, 20);
  }, PROPERTY_TIMEOUT_MS);

  it.each(['User', 'Group'] as const)('sorts %ss by every attribute path of /Schemas, both ways, or refuses the sortBy with a 400', async (kind) => {
    for (const sortBy of realPaths[kind]) {
      for (const sortOrder of ['ascending', 'descending']) {
        await answersWell({ method: 'GET', path: `/${kind}s?sortBy=${encodeURIComponent(sortBy)}&sortOrder=${sortOrder}` });
      }
    }
  }, PROPERTY_TIMEOUT_MS);

  it('answers any mix of filter, sortBy, sortOrder, startIndex, count, attributes, excludedAttributes and cursor below 500, and so does the next page or a forged cursor', async () => {
    await holds(fc.tuple(listRequest, forgedPosition), async ([exchange, position]) => {
      const reply = await answersWell(exchange);
      const cursor = reply.body?.nextCursor;
      if (typeof cursor !== 'string') return;
      const follow = (next: string) => exchange.method === 'GET'
        ? { ...exchange, path: exchange.path.replace(/([?&]cursor=)[^&]*/i, `$1${encodeURIComponent(next)}`) }
        : { ...exchange, body: { ...(exchange.body as object), cursor: next } };
      const nextPage = await answersWell(follow(cursor));
      if (nextPage.status !== 200) verdict(follow(cursor), nextPage, ['the nextCursor of a 200 page was refused']);
      await answersWell(follow(forgeCursor(cursor, position)));
    }, 300);
  }, PROPERTY_TIMEOUT_MS);
});
