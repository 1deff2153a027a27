import { useState } from 'preact/hooks';
import type { ApiError } from '../../api/http';
import type { Webhook } from '../../api/webhooks';
import { Field } from '../common/field';
import { ErrorNote } from '../common/states';

export interface WebhookDraft {
  readonly url: string;
  readonly events: string[];
  readonly description: string;
}

/** "user.*, group.member_*" → the patterns the API takes (commas or spaces between them). */
export const patternsOf = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/**
 * Which field a webhook error is about: the server's sentences name "the webhook URL", "event
 * type pattern(s)" or "description" (app/webhooks, domain/events/type-pattern.ts).
 */
export function webhookFieldOf(error: ApiError | undefined): 'url' | 'events' | 'description' | undefined {
  const text = error?.detail.toLowerCase() ?? '';
  if (text.includes('webhook url')) return 'url';
  if (text.includes('event type') || text.includes('name the events')) return 'events';
  if (text.includes('description')) return 'description';
  return undefined;
}

/**
 * The fields of a webhook, for creating one or editing it; the server checks everything (an
 * https URL whose host resolves to public addresses, known event types) and its sentence is
 * shown under the field it concerns, or above the buttons when it names none.
 */
export function WebhookForm({ initial, submitLabel, busy, error, onSubmit, onCancel }: {
  initial?: Webhook; submitLabel: string; busy: boolean; error: ApiError | undefined;
  onSubmit: (draft: WebhookDraft) => void; onCancel?: () => void;
}) {
  const [url, setUrl] = useState(initial?.url ?? '');
  const [events, setEvents] = useState(initial ? initial.events.join(', ') : '*');
  const [description, setDescription] = useState(initial?.description ?? '');
  const field = webhookFieldOf(error);
  const about = (name: typeof field) => (field === name ? error?.detail : undefined);
  return (
    <form class="webhook-form" aria-label={submitLabel} onSubmit={(e) => { e.preventDefault(); onSubmit({ url: url.trim(), events: patternsOf(events), description: description.trim() }); }}>
      <Field label="URL" name="url" value={url} onInput={setUrl} error={about('url')} required placeholder="https://app.example.com/hooks/roster"
        hint="https only; its host must resolve to public addresses." />
      <Field label="Events" name="events" value={events} onInput={setEvents} error={about('events')} required placeholder="user.*, group.member_*"
        hint="Event types or patterns, separated by commas: user.*, group.member_*, user.deactivated — or * for every event." />
      <Field label="Description" name="description" value={description} onInput={setDescription} error={about('description')} placeholder="What receives these events" />
      <div class="actions">
        {error && !field ? <ErrorNote error={error} /> : null}
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Saving…' : submitLabel}</button>
        {onCancel ? <button type="button" onClick={onCancel}>Cancel</button> : null}
      </div>
    </form>
  );
}
