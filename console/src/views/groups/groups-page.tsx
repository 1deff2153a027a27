import { useState } from 'preact/hooks';
import { createGroup, detailsOf, listGroups, PAGE_SIZE } from '../../api/groups';
import { hrefOf, navigate } from '../../state/route';
import { useAction, useLoad } from '../../state/use-load';
import { Field, fieldOfError } from '../common/field';
import { Pager } from '../common/pager';
import { SearchBox } from '../common/search-box';
import { EmptyState, ErrorNote, Loading } from '../common/states';
import { Time } from '../common/time';
import type { TenantPageProps } from '../page';
import './groups.css';

/**
 * #/t/{tenant}/groups?q=&order=&start=: the tenant's groups, searched by displayName, sorted by
 * it, 50 a page. The list never asks for members (a group may have 100,000), so it shows no
 * member counts; the group page does.
 */
export function GroupsPage({ ctx, route }: TenantPageProps) {
  const search = route.query.get('q') ?? '';
  const sortOrder = route.query.get('order') === 'descending' ? 'descending' : 'ascending';
  const startIndex = Math.max(1, Number(route.query.get('start')) || 1);
  const deleted = route.query.get('deleted');
  const list = useLoad(() => listGroups(ctx.scim, { search, sortOrder, startIndex }), [ctx.scim.base, search, sortOrder, startIndex]);
  const here = (changes: Record<string, string | number | undefined>, replace = false) =>
    navigate(['t', ctx.tenantId, 'groups'], { q: search, order: sortOrder === 'descending' ? sortOrder : undefined, start: startIndex > 1 ? startIndex : undefined, ...changes }, replace);

  const groups = list.data?.Resources ?? [];
  return (
    <section class="groups-page">
      <h1>Groups</h1>
      {deleted ? <p class="notice" role="status">Group “{deleted}” was deleted.</p> : null}
      <div class="toolbar">
        <SearchBox value={search} label="Search groups" placeholder="Part of a group's name" onSearch={(q) => here({ q, start: undefined, deleted: undefined }, true)} />
        <NewGroup ctx={ctx} />
      </div>
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? <Loading what="Loading groups" /> : null}
      {list.data && groups.length === 0 ? (
        <EmptyState title={search ? `No group's name contains “${search}”.` : 'This tenant has no groups yet.'}>
          {search ? <a href={hrefOf(['t', ctx.tenantId, 'groups'])}>Show every group</a> : 'Identity providers push groups here; you can also create one above.'}
        </EmptyState>
      ) : null}
      {groups.length ? (
        <table aria-busy={list.loading ? 'true' : undefined}>
          <thead>
            <tr>
              <th aria-sort={sortOrder}>
                <button type="button" class="sort" onClick={() => here({ order: sortOrder === 'ascending' ? 'descending' : undefined, start: undefined })}>
                  Name <span aria-hidden="true">{sortOrder === 'ascending' ? '▲' : '▼'}</span>
                  <span class="visually-hidden">, sorted {sortOrder}; press to reverse</span>
                </button>
              </th>
              <th>Description</th>
              <th>Permissions</th>
              <th>Last modified</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((group) => {
              const details = detailsOf(group);
              return (
                <tr key={group.id}>
                  <td><a href={hrefOf(['t', ctx.tenantId, 'groups', group.id])}>{details.displayName || group.id}</a></td>
                  <td>{details.description || <span class="muted">—</span>}</td>
                  <td>{details.permissions.length ? details.permissions.map((p) => <code key={p} class="permission">{p}</code>) : <span class="muted">—</span>}</td>
                  <td><Time iso={group.meta?.lastModified} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {list.data && list.data.totalResults > 0 ? (
        <Pager startIndex={startIndex} count={PAGE_SIZE} shown={groups.length} total={list.data.totalResults} label="groups" onPage={(start) => here({ start: start > 1 ? start : undefined })} />
      ) : null}
    </section>
  );
}

/** "New group": a name, created at once, then the new group's page opens. */
function NewGroup({ ctx }: Pick<TenantPageProps, 'ctx'>) {
  const [name, setName] = useState('');
  const create = useAction(async (displayName: string) => {
    const group = await createGroup(ctx.scim, displayName);
    navigate(['t', ctx.tenantId, 'groups', group.id]);
    return group;
  });
  const nameError = fieldOfError(create.error, ['displayName']) ? create.error?.detail : undefined;
  return (
    <form class="new-group" onSubmit={(e) => { e.preventDefault(); void create.run(name.trim()); }}>
      <Field label="New group name" value={name} onInput={(v) => { setName(v); create.clear(); }} error={nameError} placeholder="e.g. Finance" />
      <button type="submit" class="primary" disabled={create.busy}>{create.busy ? 'Creating…' : 'Create group'}</button>
      {create.error && !nameError ? <ErrorNote error={create.error} /> : null}
    </form>
  );
}
