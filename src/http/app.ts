import express, { Router, type Express } from 'express';
import type { Config } from '../config/config';
import { Groups } from '../domain/groups';
import { Tokens } from '../domain/tokens';
import { accountPolicyOf, Users } from '../domain/users';
import type { Logger } from '../logger';
import type { SchemaRegistry } from '../scim/schema/registry';
import { scimmyValidator } from '../scim/schema/scimmy-validator';
import type { Store } from '../store/port';
import { bearerAuth } from './auth';
import { authFailureLimit } from './auth-failure-limit';
import { bulkRouter } from './bulk';
import { jsonBody } from './body';
import { discoveryRouter } from './discovery';
import { errorRenderer, unknownRoute } from './errors';
import { requestLog } from './request-log';
import { setPublicUrl } from './public-url';
import { tokenRateLimit } from './rate-limit';
import { groupEndpoint } from './resources/group-endpoint';
import { resourceRouter } from './resources/resource-router';
import { userEndpoint } from './resources/user-endpoint';
import { rootSearchRouter } from './root-search';
import { adminRouter } from './admin';
import { meRouter } from './me';

const READYZ_RETRY_AFTER_SECONDS = 5;

export interface AppDependencies {
  readonly config: Config;
  readonly store: Store;
  readonly registry: SchemaRegistry;
  readonly logger: Logger;
}

/** The Express application: request log → bearer auth → body → SCIM routes → the one error renderer. */
export function createApp({ config, store, registry, logger }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', false);
  // Behind a TLS-terminating proxy, meta.location and Location must say https and the public host,
  // and the client address is the one the proxy saw. A hop count, never "trust everything".
  app.set('trust proxy', config.trustProxy);
  // With PUBLIC_URL, no request header chooses the URLs Roster writes (see public-url.ts).
  setPublicUrl(app, config.publicUrl);

  const accounts = new Users(store, accountPolicyOf(config));
  const tokens = new Tokens(store.tokens, undefined, (userId, issued) => accounts.acceptsToken(userId, issued));
  const users = userEndpoint(registry.user, accounts, scimmyValidator(registry.user, config), config.maxPatchOperations);
  const groups = groupEndpoint(registry.group, new Groups(store, (actor) => accounts.checkWriter(actor)), scimmyValidator(registry.group, config), config.maxPatchOperations);
  const options = { basePath: config.basePath, maxPageSize: config.maxPageSize, maxFilterTerms: config.maxFilterTerms };
  // Authenticate before reading the body: no one without a token makes the server parse megabytes.
  // An address that keeps failing is refused before its token is hashed and looked up; a token
  // over its rate is refused before its body is read.
  const failures = authFailureLimit(config.rateLimitAuthFailures, logger);
  const guard = [failures.refuseBlocked, bearerAuth(tokens, failures.recordFailure), tokenRateLimit(config.rateLimitPerToken), ...jsonBody(config.maxBodyBytes)];

  const scim = Router({ caseSensitive: false });
  scim.use(guard);
  scim.use(discoveryRouter(registry, config));
  scim.use(resourceRouter(users, options));
  scim.use(resourceRouter(groups, options));
  scim.use(rootSearchRouter([users, groups], options));
  scim.use(meRouter(accounts, users, config.basePath));
  scim.use(bulkRouter([users, groups], { basePath: config.basePath, maxOperations: config.bulkMaxOperations, maxPayloadSize: config.bulkMaxPayloadBytes }, logger));

  app.use(requestLog(logger));
  // Liveness: the process serves HTTP. Readiness: it can also reach its store (a load balancer
  // stops sending requests while the database is out of reach and the driver reconnects).
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', (_req, res) => {
    const ready = store.ready?.() ?? true;
    if (!ready) res.set('Retry-After', String(READYZ_RETRY_AFTER_SECONDS));
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable' });
  });
  app.use(config.basePath, scim);
  app.use('/admin', guard, adminRouter(accounts, tokens, users, config.basePath));
  app.use(unknownRoute);
  app.use(errorRenderer(logger));
  return app;
}
