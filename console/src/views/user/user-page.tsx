import { useEffect, useState } from 'preact/hooks';
import type { Answer } from '../../api/http';
import { ACCOUNT_URN, type Resource } from '../../api/scim';
import { hrefOf } from '../../state/route';
import { useLoad } from '../../state/use-load';
import { JsonView } from '../common/json-view';
import { EmptyState, ErrorNote, Loading } from '../common/states';
import { Tabs } from '../common/tabs';
import type { TenantPageProps } from '../page';
import { AccountTab } from './account-tab';
import { valueAt } from './attributes';
import type { SectionProps } from './edit-section';
import { GroupsTab } from './groups-tab';
import { HistoryTab } from './history-tab';
import { LocalizationTab } from './localization-tab';
import { ProfileTab } from './profile-tab';
import { TokensTab } from './tokens-tab';
import { UserActions } from './user-actions';
import './user.css';

const TABS = [
  { id: 'profile', label: 'Profile' }, { id: 'account', label: 'Account' }, { id: 'localization', label: 'Localization' },
  { id: 'groups', label: 'Groups' }, { id: 'tokens', label: 'API tokens' }, { id: 'history', label: 'History' }, { id: 'json', label: 'Raw JSON' },
] as const;

/** How the page names a user: the display name, else the name parts, else the userName. */
export function nameOf(user: Resource): string {
  const parts = [valueAt(user, 'name.givenName'), valueAt(user, 'name.familyName')].filter((p) => typeof p === 'string' && p);
  return String(user.displayName || valueAt(user, 'name.formatted') || parts.join(' ') || user.userName || user.id);
}

/**
 * #/t/{tenant}/users/{id}[/{tab}]: one user, every attribute grouped as the product docs group
 * them, editable through the same SCIM PATCH an identity provider sends, with the user's
 * tokens, history and raw JSON.
 */
export function UserPage({ ctx, params }: TenantPageProps) {
  const [id, tab = 'profile'] = params;
  const loaded = useLoad(() => ctx.scim.get('Users', id), [ctx.scim.base, id]);
  // The answer of the last save or action: newer than what was loaded, until the next load.
  const [latest, setLatest] = useState<Answer<Resource> | undefined>();
  useEffect(() => setLatest(undefined), [loaded.data]);

  if (loaded.error) {
    return (
      <section>
        <p><a href={hrefOf(['t', ctx.tenantId, 'users'])}>← Users</a></p>
        {loaded.error.status === 404 ? (
          <EmptyState title="There is no such user in this tenant.">
            It may have been deleted: look in <a href={hrefOf(['t', ctx.tenantId, 'users', 'deleted'])}>Deleted users</a>, where it can be restored.
          </EmptyState>
        ) : null}
        <ErrorNote error={loaded.error} />
      </section>
    );
  }
  // While another user loads, neither the last answer nor the last load is this user.
  const answer = [latest, loaded.data].find((a) => a?.body.id === id);
  if (!answer) return <Loading what="Loading the user" />;
  const user = answer.body;
  const { me } = ctx.session;
  const self = me.kind === 'user' && me.userId === user.id;
  const changed = (next: Answer<Resource | undefined>) => (next.body ? setLatest({ ...next, body: next.body }) : loaded.reload());
  const section: SectionProps = { ctx, user, etag: answer.etag, onSaved: changed, onReload: loaded.reload };
  const status = String(valueAt(user, 'status', ACCOUNT_URN) ?? (user.active ? 'Active' : 'Inactive'));
  const accountType = valueAt(user, 'accountType', ACCOUNT_URN);

  return (
    <section class="user-page" aria-labelledby="user-title">
      <p class="breadcrumb"><a href={hrefOf(['t', ctx.tenantId, 'users'])}>← Users</a></p>
      <header class="user-head">
        <div>
          <h1 id="user-title">{nameOf(user)}</h1>
          <p class="user-sub">
            <span data-testid="user-name">{String(user.userName)}</span>
            <span class={`badge ${status}`} title="Status">{status}</span>
            {accountType ? <span class="badge" title="Account type">{String(accountType)}</span> : null}
            {self ? <span class="badge">you</span> : null}
          </p>
        </div>
        <UserActions ctx={ctx} user={user} self={self} onChanged={changed} />
      </header>
      <Tabs current={tab} tabs={TABS.map((t) => ({ ...t, href: hrefOf(['t', ctx.tenantId, 'users', user.id, t.id]) }))} />
      <TabContent key={user.id} tab={tab} section={section} self={self} />
    </section>
  );
}

/** The current tab's content; keyed by the user, so no draft or list outlives a change of user. */
function TabContent({ tab, section, self }: { tab: string; section: SectionProps; self: boolean }) {
  const { ctx, user } = section;
  switch (tab) {
    case 'profile': return <ProfileTab {...section} />;
    case 'account': return <AccountTab {...section} self={self} />;
    case 'localization': return <LocalizationTab {...section} />;
    case 'groups': return <GroupsTab tenantId={ctx.tenantId} user={user} />;
    case 'tokens': return <TokensTab ctx={ctx} userId={user.id} active={user.active === true} />;
    case 'history': return <HistoryTab ctx={ctx} userId={user.id} />;
    case 'json': return (
      <>
        <p class="hint">The user exactly as <code>GET {ctx.scim.base}/Users/{user.id}</code> returns it: what an identity provider sees.</p>
        <JsonView value={user} label={`${String(user.userName)} as SCIM JSON`} />
      </>
    );
    default: return <EmptyState title={`This user page has no tab “${tab}”.`}>Pick one of the tabs above.</EmptyState>;
  }
}
