import { useEffect, useState } from 'preact/hooks';
import { EVENT_TYPES } from '../../api/activity';

export interface FeedFilters {
  readonly type: string;
  readonly actor: string;
  readonly resource: string;
}

/** The families first (one pattern or several, comma-separated as the feed takes them), then every exact type. */
const FAMILY_OPTIONS: readonly { value: string; label: string }[] = [
  { value: 'user.*', label: 'All user events (user.*)' },
  { value: 'group.*', label: 'All group events (group.*)' },
  { value: 'token.*,client.*,webhook.*,tenant.*', label: 'Tokens, clients, webhooks, tenant' },
  { value: 'token.*', label: 'Tokens (token.*)' },
  { value: 'client.*', label: 'OAuth clients (client.*)' },
  { value: 'webhook.*', label: 'Webhooks (webhook.*)' },
  { value: 'tenant.*', label: 'Tenant (tenant.*)' },
];

/**
 * The feed's filters as a form: applied on submit (the address then holds them, so Back and
 * bookmarks work). A type the lists do not know (from a pasted address) is kept as an option.
 */
export function EventFilters({ filters, onApply }: { filters: FeedFilters; onApply: (filters: FeedFilters) => void }) {
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [filters.type, filters.actor, filters.resource]);
  const known = draft.type === '' || FAMILY_OPTIONS.some((o) => o.value === draft.type) || (EVENT_TYPES as readonly string[]).includes(draft.type);
  const set = (key: keyof FeedFilters) => (e: Event) => setDraft({ ...draft, [key]: (e.currentTarget as HTMLInputElement).value });
  const filtered = filters.type !== '' || filters.actor !== '' || filters.resource !== '';
  return (
    <form class="toolbar" role="search" aria-label="Filter the events" onSubmit={(e) => { e.preventDefault(); onApply({ type: draft.type, actor: draft.actor.trim(), resource: draft.resource.trim() }); }}>
      <label>
        Event type
        <select value={draft.type} onChange={set('type')}>
          <option value="">All types</option>
          {known ? null : <option value={draft.type}>{draft.type}</option>}
          <optgroup label="Families">
            {FAMILY_OPTIONS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </optgroup>
          <optgroup label="Exact types">
            {EVENT_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
          </optgroup>
        </select>
      </label>
      <label>
        Actor token id
        <input value={draft.actor} onInput={set('actor')} placeholder="token id" size={38} spellcheck={false} />
      </label>
      <label>
        Resource id
        <input value={draft.resource} onInput={set('resource')} placeholder="user, group, token… id" size={38} spellcheck={false} />
      </label>
      <button type="submit" class="primary">Filter</button>
      {filtered ? <button type="button" onClick={() => onApply({ type: '', actor: '', resource: '' })}>Clear filters</button> : null}
    </form>
  );
}
