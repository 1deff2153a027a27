import express, { Router, type Express, type RequestHandler } from 'express';
import type { Application } from '../app/application';
import type { Config } from '../config/config';
import type { Logger } from '../logger';
import type { SchemaRegistry } from '../scim/schema/registry';
import type { Metrics } from '../metrics';
import { adminClientsRouter } from './admin-clients';
import { adminEventsRouter, adminWebhooksRouter } from './admin-events';
import { adminFailuresRouter } from './admin-failures';
import { adminUsersRouter } from './admin-users';
import { tenantsRouter } from './admin-tenants';
import { bearerAuth } from './auth';
import { authFailureLimit } from './auth-failure-limit';
import { bulkRouter } from './bulk';
import { consoleRouter } from './console';
import { jsonBody } from './body';
import { discoveryRouter } from './discovery';
import { errorRenderer, unknownRoute } from './errors';
import { metricsEndpoint, observeRequests } from './metrics-endpoint';
import { oauthTokenRouter } from './oauth-token';
import { mountedAt } from './route-label';
import { requestLog } from './request-log';
import { setPublicUrl } from './public-url';
import { tokenRateLimit } from './rate-limit';
import { resourceRouter } from './resources/resource-router';
import { rootSearchRouter } from './root-search';
import { meRouter } from './me';
import { whoamiRouter } from './whoami';
import { nameTenant, tenantScope } from './tenant-scope';

const READYZ_RETRY_AFTER_SECONDS = 5;

export interface AppDependencies {
  readonly config: Config;
  readonly application: Application;
  readonly registry: SchemaRegistry;
  readonly logger: Logger;
  /** Whether the store can serve right now (GET /readyz); absent: always. */
  readonly ready?: () => boolean;
  /** Where requests are counted and timed (GET /metrics); absent: not measured. */
  readonly metrics?: Metrics;
  /** Where the built console is (default: dist/console, where `npm run build` puts it). */
  readonly consoleDirectory?: string;
}

/**
 * The Express application: request log → bearer auth → tenant → body → SCIM routes → the one
 * error renderer. Each tenant is served at {SCIM_BASE_PATH}/tenants/{tenantId}; the base path
 * itself serves the built-in tenant "default".
 */
export function createApp({ config, application, registry, logger, ready = () => true, metrics, consoleDirectory }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', false);
  // Behind a TLS-terminating proxy, meta.location and Location must say https and the public host,
  // and the client address is the one the proxy saw. A hop count, never "trust everything".
  app.set('trust proxy', config.trustProxy);
  // With PUBLIC_URL, no request header chooses the URLs Roster writes (see public-url.ts).
  setPublicUrl(app, config.publicUrl);

  const options = { maxPageSize: config.maxPageSize, maxFilterTerms: config.maxFilterTerms };
  // Authenticate before reading the body: no one without a token makes the server parse megabytes.
  // An address that keeps failing is refused before its token is hashed and looked up; a token
  // over its rate is refused before its body is read.
  const failures = authFailureLimit(config.rateLimitAuthFailures, logger);
  const authenticated: RequestHandler[] = [failures.refuseBlocked, bearerAuth(application, failures.recordFailure), tokenRateLimit(config.rateLimitPerToken)];
  const body = jsonBody(config.maxBodyBytes);
  // A tenant's requests: who may enter it is decided before its body is read.
  const inTenant = [nameTenant, ...authenticated, tenantScope(application, config.basePath), ...body];

  const scim = Router({ caseSensitive: false });
  scim.use(discoveryRouter(registry, config));
  scim.use(resourceRouter(registry.user, (d) => d.users, options));
  scim.use(resourceRouter(registry.group, (d) => d.groups, options));
  scim.use(rootSearchRouter(options));
  scim.use(meRouter());
  scim.use(bulkRouter([registry.user.endpoint, registry.group.endpoint], { maxOperations: config.bulkMaxOperations, maxPayloadSize: config.bulkMaxPayloadBytes }, logger));

  app.use(requestLog(logger));
  if (metrics) app.use(observeRequests(metrics));
  // Liveness: the process serves HTTP. Readiness: it can also reach its store (a load balancer
  // stops sending requests while the database is out of reach and the driver reconnects).
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', (_req, res) => {
    const isReady = ready();
    if (!isReady) res.set('Retry-After', String(READYZ_RETRY_AFTER_SECONDS));
    res.status(isReady ? 200 : 503).json({ status: isReady ? 'ready' : 'unavailable' });
  });
  if (metrics) app.get('/metrics', metricsEndpoint(application, config, metrics, failures));
  // Each mount ends in its own 404: a path one tenant's routes do not know must not fall through
  // to the next mount (which would authenticate it again, for another tenant). Each also names
  // itself first, for the metrics' route label (route-label.ts).
  const mount = (path: string, ...handlers: (RequestHandler | readonly RequestHandler[])[]) =>
    app.use(path, mountedAt(path), ...(handlers as RequestHandler[]), unknownRoute);
  mount('/oauth/token', oauthTokenRouter(application, config, failures));
  // The console is static files; it reaches data only through the APIs below, with the admin's token.
  if (config.consoleEnabled) mount(config.consolePath, consoleRouter(consoleDirectory));
  mount(`${config.basePath}/tenants/:tenantId`, inTenant, scim);
  mount(config.basePath, inTenant, scim);
  mount('/admin/tenants/:tenantId/users', inTenant, adminUsersRouter(application, options));
  mount('/admin/tenants/:tenantId/events', inTenant, adminEventsRouter());
  mount('/admin/tenants/:tenantId/failures', inTenant, adminFailuresRouter());
  mount('/admin/tenants/:tenantId/webhooks', inTenant, adminWebhooksRouter());
  mount('/admin/tenants/:tenantId/clients', inTenant, adminClientsRouter());
  mount('/admin/tenants', authenticated, body, tenantsRouter(application, config.basePath));
  mount('/admin/whoami', authenticated, whoamiRouter(config.basePath));
  mount('/admin/users', inTenant, adminUsersRouter(application, options));
  mount('/admin/events', inTenant, adminEventsRouter());
  mount('/admin/failures', inTenant, adminFailuresRouter());
  mount('/admin/webhooks', inTenant, adminWebhooksRouter());
  mount('/admin/clients', inTenant, adminClientsRouter());
  // Other admin paths: a 404 only for those who may know.
  mount('/admin', authenticated);
  app.use(unknownRoute);
  app.use(errorRenderer(logger));
  return app;
}
