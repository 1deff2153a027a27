import { readFailures, type RequestFailure } from '../../api/activity';
import { hrefOf, navigate, type Route } from '../../state/route';
import type { TenantContext } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { actorText } from '../common/event-summary';
import { EmptyState, ErrorNote, Loading } from '../common/states';
import { Time } from '../common/time';
import { cursorOf } from './cursor';

const PAGE = 50;

/** The statuses an identity provider's pushes fail with most, offered as a filter. */
const STATUSES: readonly { status: number; meaning: string }[] = [
  { status: 400, meaning: 'Bad request' }, { status: 401, meaning: 'Unauthorized' }, { status: 403, meaning: 'Forbidden' },
  { status: 404, meaning: 'Not found' }, { status: 409, meaning: 'Conflict' }, { status: 412, meaning: 'Precondition failed' },
  { status: 413, meaning: 'Too large' }, { status: 429, meaning: 'Too many requests' }, { status: 500, meaning: 'Server error' },
  { status: 503, meaning: 'Unavailable' },
];

/**
 * Requests the server answered with an error, newest first: who sent what, and the sentence they
 * were answered with. This is where "why did Okta's last push fail" is answered.
 */
export function FailuresList({ ctx, route }: { ctx: TenantContext; route: Route }) {
  const status = cursorOf(route.query.get('status'));
  const before = cursorOf(route.query.get('before'));
  const page = useLoad(() => readFailures(ctx.session.token, ctx.admin, { before, status, limit: PAGE }), [ctx.admin, ctx.session.token, status, before]);
  const go = (query: { status?: number; before?: number }) => navigate(['t', ctx.tenantId, 'activity'], { view: 'failures', status, before: undefined, ...query });

  return (
    <section aria-labelledby="failures-title">
      <h2 id="failures-title" class="visually-hidden">Failed requests</h2>
      <div class="toolbar">
        <label>
          Status
          <select value={status ?? ''} onChange={(e) => go({ status: cursorOf((e.currentTarget as HTMLSelectElement).value) })}>
            <option value="">Every error</option>
            {status !== undefined && !STATUSES.some((s) => s.status === status) ? <option value={status}>{status}</option> : null}
            {STATUSES.map((s) => <option key={s.status} value={s.status}>{s.status} {s.meaning}</option>)}
          </select>
        </label>
        <button type="button" onClick={page.reload} disabled={page.loading}>Refresh</button>
      </div>
      <ErrorNote error={page.error} />
      {page.loading && !page.data ? <Loading what="Reading the failed requests" /> : null}
      {page.data && page.data.failures.length === 0 ? (
        <EmptyState title={status ? `No request failed with ${status}.` : before ? 'No older failed requests.' : 'No failed requests recorded.'}>
          Requests answered with an error (except lookups of something that is not there) are kept here, the newest 1,000.
        </EmptyState>
      ) : null}
      {page.data?.failures.length ? (
        <table class="failures" aria-busy={page.loading}>
          <caption class="visually-hidden">Failed requests, newest first</caption>
          <thead>
            <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Request</th><th scope="col">Status</th><th scope="col">What the server answered</th><th scope="col">About</th></tr>
          </thead>
          <tbody>{page.data.failures.map((f) => <FailureRow key={f.id} ctx={ctx} failure={f} />)}</tbody>
        </table>
      ) : null}
      <nav class="pager" aria-label="Pages of failed requests">
        {before ? <a href={hrefOf(['t', ctx.tenantId, 'activity'], { view: 'failures', status })}>↑ Newest</a> : null}
        {page.data?.next !== undefined ? <button type="button" onClick={() => go({ before: page.data?.next })}>Older →</button> : null}
      </nav>
    </section>
  );
}

function FailureRow({ ctx, failure: f }: { ctx: TenantContext; failure: RequestFailure }) {
  return (
    <tr data-failure-id={f.id}>
      <td><Time iso={f.occurredAt} /></td>
      <td>{actorText(f.actor)}</td>
      <td>
        <code class="request-line">{f.method} {f.path}</code>
        {f.bulkId ? <div class="hint">in /Bulk, bulkId {f.bulkId}</div> : null}
        <div class="hint" title="The X-Request-Id header and the request log's requestId">request {f.requestId}</div>
      </td>
      <td><span class="badge failed">{f.status}</span>{f.scimType ? <div><code>{f.scimType}</code></div> : null}</td>
      <td class="failure-detail">{f.detail}</td>
      <td><Resource ctx={ctx} resource={f.resource} /></td>
    </tr>
  );
}

function Resource({ ctx, resource }: { ctx: TenantContext; resource: RequestFailure['resource'] }) {
  if (!resource) return <span class="hint">—</span>;
  const name = resource.userName ?? resource.displayName ?? resource.id ?? '';
  const section = resource.type === 'User' ? 'users' : resource.type === 'Group' ? 'groups' : resource.type === 'Webhook' ? 'webhooks' : undefined;
  return (
    <span>
      {resource.type}{' '}
      {resource.id && section ? <a href={hrefOf(['t', ctx.tenantId, section, resource.id])}>{name}</a> : <span>{name}</span>}
    </span>
  );
}
