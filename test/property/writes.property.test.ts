import fc from 'fast-check';
import { bodyOf, writeBody } from './arbitraries/resources';
import { resourceProblems, storeProblems } from './support/consistency';
import type { KnownIds } from './arbitraries/values';
import { seedDirectory } from './support/directory';
import { startPropertyApp, type Exchange, type PropertyApp } from './support/property-app';
import { PROPERTY_TIMEOUT_MS, answerProblems, holds, verdict } from './support/properties';

/**
 * POST and PUT (RFC 7644 §3.3, §3.5.1) with random JSON mixed into valid users and groups, or
 * as the whole body. Whatever the body: below 500; a refusal is a SCIM error and writes nothing
 * (a refused POST leaves totalResults as it was, a refused PUT the resource and its version);
 * what is written is a valid resource, and after it the store is consistent
 * (support/consistency.ts).
 */
describe('POST and PUT with random JSON', () => {
  let app: PropertyApp;
  let directory: KnownIds;
  let run = 0;

  beforeAll(async () => {
    app = await startPropertyApp();
    directory = await seedDirectory(app, 'writes');
  });
  afterAll(() => app.close());

  const totalOf = async (kind: 'User' | 'Group') => (await app.send({ method: 'GET', path: `/${kind}s?count=0` })).body.totalResults as number;

  it.each(['User', 'Group'] as const)('answers any POST of a %s below 500, writes nothing when it refuses, and keeps the store consistent', async (kind) => {
    await holds(writeBody(kind, directory, { current: false }), async (write) => {
      const exchange: Exchange = { method: 'POST', path: `/${kind}s`, body: bodyOf(write, undefined, `post${++run}`) };
      const before = await totalOf(kind);
      const reply = await app.send(exchange);
      const problems = answerProblems(reply);
      const after = await totalOf(kind);
      if (reply.status >= 400 && after !== before) problems.push(`the refused POST changed totalResults from ${before} to ${after}`);
      if (reply.status === 201) {
        problems.push(...resourceProblems(reply.body, kind));
        const read = await app.send({ method: 'GET', path: `/${kind}s/${reply.body.id}` });
        if (JSON.stringify(read.body) !== JSON.stringify(reply.body)) problems.push(`POST answered ${JSON.stringify(reply.body)} but GET reads ${read.status} ${JSON.stringify(read.body)}`);
      }
      if (reply.status < 400) problems.push(...(await storeProblems(app)));
      verdict(exchange, reply, problems);
    }, kind === 'User' ? 150 : 80);
  }, PROPERTY_TIMEOUT_MS);

  it.each(['User', 'Group'] as const)('answers any PUT of a %s below 500, changes nothing when it refuses, and keeps the store consistent', async (kind) => {
    const ids = kind === 'User' ? directory.userIds : directory.groupIds;
    await holds(fc.tuple(fc.nat(), writeBody(kind, directory, { current: true })), async ([pick, write]) => {
      const path = `/${kind}s/${ids[pick % ids.length]}`;
      const before = await app.send({ method: 'GET', path });
      const exchange: Exchange = { method: 'PUT', path, body: bodyOf(write, before.body, `put${++run}`) };
      const reply = await app.send(exchange);
      const after = await app.send({ method: 'GET', path });
      const problems = answerProblems(reply);
      if (after.status !== 200) problems.push(`GET ${path} after the PUT answered ${after.status}`);
      else problems.push(...resourceProblems(after.body, kind));
      if (reply.status >= 400 && JSON.stringify(before.body) !== JSON.stringify(after.body)) {
        problems.push(`the refused PUT changed the ${kind} (version ${before.body.meta?.version} → ${after.body.meta?.version}): ${JSON.stringify(after.body)}`);
      }
      if (reply.status === 200 && JSON.stringify(reply.body) !== JSON.stringify(after.body)) problems.push(`PUT answered ${JSON.stringify(reply.body)} but GET reads ${JSON.stringify(after.body)}`);
      if (reply.status < 400) problems.push(...(await storeProblems(app)));
      verdict(exchange, reply, problems);
    }, kind === 'User' ? 150 : 80);
  }, PROPERTY_TIMEOUT_MS);
});
