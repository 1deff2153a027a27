import type { Route } from '../state/route';
import type { Session, TenantContext } from '../state/session';

/** What every page of one tenant gets: the tenant's APIs, the route, and the route's own parameters (ids after the page name). */
export interface TenantPageProps {
  readonly ctx: TenantContext;
  readonly route: Route;
  readonly params: readonly string[];
}

/** Pages above tenants (the operator's tenant list). */
export interface SessionPageProps {
  readonly session: Session;
  readonly route: Route;
  readonly params: readonly string[];
}
