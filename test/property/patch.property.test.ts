import fc from 'fast-check';
import { patchRequestBody } from './arbitraries/patch';
import { storeProblems, resourceProblems } from './support/consistency';
import type { KnownIds } from './arbitraries/values';
import { seedDirectory } from './support/directory';
import { startPropertyApp, type Exchange, type PropertyApp } from './support/property-app';
import { PROPERTY_TIMEOUT_MS, answerProblems, holds, verdict } from './support/properties';

/**
 * Random PATCH bodies (RFC 7644 §3.5.2) on users and groups. Whatever the body: the answer is
 * below 500 (a refusal a SCIM error); afterwards the resource is still a valid SCIM resource; a
 * refused PATCH changed nothing (same body, same meta.version); a successful one answered the
 * resource as it now is; and the store is consistent (support/consistency.ts).
 */
describe('PATCH with random bodies', () => {
  let app: PropertyApp;
  let directory: KnownIds;

  beforeAll(async () => {
    app = await startPropertyApp();
    directory = await seedDirectory(app, 'patch');
  });
  afterAll(() => app.close());

  async function patchKeepsTheStoreConsistent(kind: 'User' | 'Group', id: string, body: unknown): Promise<void> {
    const path = `/${kind}s/${id}`;
    const before = await app.send({ method: 'GET', path });
    const exchange: Exchange = { method: 'PATCH', path, body };
    const reply = await app.send(exchange);
    const after = await app.send({ method: 'GET', path });
    const problems = answerProblems(reply);
    if (after.status !== 200) problems.push(`GET ${path} after the PATCH answered ${after.status}`);
    else problems.push(...resourceProblems(after.body, kind));
    if (reply.status >= 400 && JSON.stringify(before.body) !== JSON.stringify(after.body)) {
      problems.push(`the refused PATCH changed the ${kind}: ${before.body.meta?.version} ${JSON.stringify(before.body)} became ${after.body.meta?.version} ${JSON.stringify(after.body)}`);
    }
    if (reply.status === 200 && JSON.stringify(reply.body) !== JSON.stringify(after.body)) {
      problems.push(`the PATCH answered ${JSON.stringify(reply.body)} but GET then reads ${JSON.stringify(after.body)}`);
    }
    problems.push(...(await storeProblems(app)));
    verdict(exchange, reply, problems);
  }

  it('answers any PATCH of a user below 500, leaves a valid user, changes nothing when it refuses, and keeps the store consistent', async () => {
    await holds(
      fc.tuple(fc.nat(), patchRequestBody('User', directory)),
      ([pick, body]) => patchKeepsTheStoreConsistent('User', directory.userIds[pick % directory.userIds.length], body),
      200,
    );
  }, PROPERTY_TIMEOUT_MS);

  it('answers any PATCH of a group below 500, leaves a valid group whose members are users, changes nothing when it refuses, and keeps the store consistent', async () => {
    await holds(
      fc.tuple(fc.nat(), patchRequestBody('Group', directory)),
      ([pick, body]) => patchKeepsTheStoreConsistent('Group', directory.groupIds[pick % directory.groupIds.length], body),
      150,
    );
  }, PROPERTY_TIMEOUT_MS);
});
