/**
 * What the per-token rate limit costs a request that stays within it: GET /Users/{id} on a second
 * Roster process with the default limit on (the main one runs with it off), requests going
 * round-robin over enough tokens that each stays within its per-second rate, as an identity
 * provider's does, so none is refused. Compared with the same scenario on the main process.
 */
import http from 'node:http';
import { join } from 'node:path';
import { SYSTEM_JOURNAL } from '../src/app/journals';
import { Tokens } from '../src/app/tokens';
import { loadConfig } from '../src/config/config';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';
import { measure, type Figures, type LoadLimits } from './load';
import type { Scenario } from './scenarios';
import { request } from './scim-client';
import { startServer } from './server-process';

export async function limiterCost(root: string, path: string, scenario: Scenario, limits: LoadLimits): Promise<{ figures: Figures; tokens: number; perSecond: number }> {
  const config = loadConfig({ SQLITE_PATH: path });
  const perSecond = config.rateLimitPerToken!;
  // A new process starts cold (JIT, prepared statements): a whole unmeasured pass first, as the
  // scenario it is compared with ran after warmer ones.
  const warmed = { ...limits, warmUp: limits.requests };
  const count = Math.ceil((warmed.requests + warmed.warmUp) / perSecond);
  const store = openSqliteStore(path);
  const tokens = await Promise.all(Array.from({ length: count }, (_, i) => new Tokens(store.tenant('default', SYSTEM_JOURNAL).tokens).create(`bench-limited-${i}`)));
  await store.close();
  const server = await startServer(join(root, 'dist', 'main.js'), { SQLITE_PATH: path, LOG_LEVEL: 'warn' });
  const agent = new http.Agent({ keepAlive: true, maxSockets: limits.concurrency });
  const sends = tokens.map(({ secret }) => request(agent, server.port, secret, config.basePath));
  let turn = 0;
  try {
    const figures = await measure((method, p, body) => sends[turn++ % sends.length](method, p, body), scenario, warmed);
    return { figures, tokens: count, perSecond };
  } finally {
    agent.destroy();
    await server.stop();
  }
}
