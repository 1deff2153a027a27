import { useEffect, useState } from 'preact/hooks';
import { findUsers, PICKER_SIZE, type FoundUsers } from '../../api/groups';
import type { Resource } from '../../api/scim';
import type { TenantContext } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { EmptyState, ErrorNote } from '../common/states';

/** Shorter operands cannot use the trigram index and would scan 100,000 users. */
const MIN_LENGTH = 3;
const TYPING_PAUSE_MS = 250;

/** A user as the picker offers it. */
export interface Picked {
  readonly id: string;
  readonly label: string;
}

function nameOf(user: Resource): string {
  const name = user.name as { givenName?: string; familyName?: string } | undefined;
  if (typeof user.displayName === 'string') return user.displayName;
  return [name?.givenName, name?.familyName].filter(Boolean).join(' ');
}

/** "Add members": search users by userName or name (10 results), each with an Add button. */
export function MemberPicker({ ctx, onPick, disabled }: { ctx: TenantContext; onPick: (user: Picked) => void; disabled?: boolean }) {
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const found = useLoad<FoundUsers | undefined>(
    () => (query.length >= MIN_LENGTH ? findUsers(ctx.scim, query) : Promise.resolve(undefined)),
    [ctx.scim.base, query],
  );
  const users = found.data?.users ?? [];
  return (
    <section class="member-picker card" aria-labelledby="add-members-title">
      <h2 id="add-members-title">Add members</h2>
      <form role="search" onSubmit={(e) => { e.preventDefault(); setQuery(text.trim()); }}>
        <label for="member-search">Find users by userName or name</label>
        <input id="member-search" type="search" value={text} placeholder="At least 3 letters, e.g. kovad" aria-describedby="member-search-hint"
          onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} />
        <small id="member-search-hint" class="hint">Shows up to {PICKER_SIZE} matches.</small>
      </form>
      <ErrorNote error={found.error} />
      {query.length >= MIN_LENGTH && found.data && users.length === 0 ? <EmptyState title={`No user's userName or name contains “${query}”.`} /> : null}
      {users.length ? (
        <ul class="picker-results" aria-label="Matching users" aria-busy={found.loading ? 'true' : undefined}>
          {users.map((user) => {
            const userName = String(user.userName ?? user.id);
            return (
              <li key={user.id}>
                <span class="picker-user"><strong>{userName}</strong> <span class="muted">{nameOf(user)}</span>{user.active === false ? <span class="badge Inactive">inactive</span> : null}</span>
                <button type="button" disabled={disabled} aria-label={`Add ${userName}`} onClick={() => onPick({ id: user.id, label: userName })}>Add</button>
              </li>
            );
          })}
        </ul>
      ) : null}
      {found.data?.more ? <p class="hint">More users match than the {users.length} shown; type more to narrow them.</p> : null}
    </section>
  );
}
