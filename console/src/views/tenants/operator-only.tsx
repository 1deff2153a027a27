import { hrefOf } from '../../state/route';
import type { Session } from '../../state/session';
import { EmptyState } from '../common/states';

/** What a tenant's token sees on the operator's pages: why not, and where it can go instead. */
export function OperatorOnly({ session }: { session: Session }) {
  const { me } = session;
  return (
    <EmptyState title="Tenants are managed with an operator token.">
      <p>
        You are signed in with a {me.kind} token ({me.tokenName}){me.tenantId ? <> of the tenant <strong>{me.tenantId}</strong></> : null}.
        It manages its own tenant only. To create tenants or change their settings, sign in with an operator token
        (<code>npm run cli -- tokens create --operator --name console</code>).
      </p>
      {me.tenantId ? <p><a href={hrefOf(['t', me.tenantId, 'users'])}>Go to the users of {me.tenantId}</a></p> : null}
    </EmptyState>
  );
}
