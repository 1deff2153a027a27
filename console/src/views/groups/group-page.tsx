import { useEffect, useState } from 'preact/hooks';
import { readGroupPage, PAGE_SIZE, type GroupPage as Loaded } from '../../api/groups';
import { MEMBERS_PAGE_URN } from '../../api/scim';
import { hrefOf, navigate } from '../../state/route';
import { useLoad } from '../../state/use-load';
import { JsonView } from '../common/json-view';
import { ErrorNote, Loading } from '../common/states';
import { Tabs } from '../common/tabs';
import type { TenantPageProps } from '../page';
import { GroupDetailsForm } from './group-details';
import { GroupMembers } from './group-members';
import './groups.css';

const TABS = [
  { id: 'members', label: 'Members' },
  { id: 'details', label: 'Details and permissions' },
  { id: 'json', label: 'Raw JSON' },
] as const;

type TabId = (typeof TABS)[number]['id'];

/**
 * #/t/{tenant}/groups/{id}[/{tab}]?from=51: one group. It is read with one page of its members
 * (membersStartIndex/membersCount, README "Large groups"), never with all of them: one request
 * opens a 100,000-member group as fast as an empty one, and every tab shares that answer.
 */
export function GroupPage({ ctx, route, params }: TenantPageProps) {
  const [id, tabParam] = params;
  const tab: TabId = TABS.some((t) => t.id === tabParam) ? (tabParam as TabId) : 'members';
  const from = Math.max(1, Number(route.query.get('from')) || 1);
  const loaded = useLoad(() => readGroupPage(ctx.scim, id, from), [ctx.scim.base, id, from]);
  const page = loaded.data?.group.id === id ? loaded.data : undefined;
  const where = (tabId: string) => ['t', ctx.tenantId, 'groups', id, ...(tabId === 'members' ? [] : [tabId])];
  const fromQuery = { from: from > 1 ? from : undefined };
  const [saved, setSaved] = useState(false);
  useEffect(() => setSaved(false), [id, tab]);

  if (!page) {
    return (
      <section>
        <p><a href={hrefOf(['t', ctx.tenantId, 'groups'])}>← Groups</a></p>
        {loaded.error ? <ErrorNote error={loaded.error} /> : <Loading what="Loading the group" />}
      </section>
    );
  }
  const name = typeof page.group.displayName === 'string' ? page.group.displayName : id;
  return (
    <section class="group-page">
      <p><a href={hrefOf(['t', ctx.tenantId, 'groups'])}>← Groups</a></p>
      <h1>{name}</h1>
      <p class="group-summary">
        <span class="badge" data-testid="member-total">{page.total.toLocaleString('en')} {page.total === 1 ? 'member' : 'members'}</span>
        <span class="muted">id <code>{id}</code></span>
      </p>
      <Tabs current={tab} tabs={TABS.map((t) => ({ id: t.id, label: t.label, href: hrefOf(where(t.id), fromQuery) }))} />
      <ErrorNote error={loaded.error} />
      {tab === 'members' ? (
        <GroupMembers ctx={ctx} page={page} busy={loaded.loading} reload={loaded.reload}
          onPage={(start) => navigate(where('members'), { from: start > 1 ? start : undefined })} />
      ) : null}
      {tab === 'details' && saved ? <p class="notice" role="status">Saved.</p> : null}
      {tab === 'details' ? <GroupDetailsForm key={String(page.group.meta?.version)} ctx={ctx} group={page.group} reload={loaded.reload} onSaved={setSaved} /> : null}
      {tab === 'json' ? <RawGroup page={page} /> : null}
    </section>
  );
}

/** The group exactly as SCIM returned it to this page: with this page of members only. */
function RawGroup({ page }: { page: Loaded }) {
  const shown = page.members.length;
  const last = page.startIndex + shown - 1;
  return (
    <>
      <p class="notice" role="note">
        This is the group exactly as SCIM returns it to <code>GET /Groups/{page.group.id}?membersStartIndex={page.startIndex}&amp;membersCount={PAGE_SIZE}</code>:
        {' '}<code>members</code> holds {shown ? `members ${page.startIndex.toLocaleString('en')}–${last.toLocaleString('en')}` : 'no members'} of {page.total.toLocaleString('en')},
        and <code>{MEMBERS_PAGE_URN}</code> says which slice it is. A plain <code>GET /Groups/{page.group.id}</code> would list
        all {page.total.toLocaleString('en')} members; the console never asks for them all.
      </p>
      <JsonView value={page.group} label="The group as SCIM returns it" />
    </>
  );
}
