import type { ComponentChildren } from 'preact';
import type { ApiError } from '../../api/http';

/** What a list shows when it has nothing: what is missing, and what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty" role="status">
      <p class="empty-title">{title}</p>
      {children ? <div class="empty-hint">{children}</div> : null}
    </div>
  );
}

/** The server's own sentence for a failure (SCIM `detail`), announced to screen readers. */
export function ErrorNote({ error, id }: { error: ApiError | undefined; id?: string }) {
  if (!error) return null;
  return (
    <p class="error" role="alert" id={id} data-status={error.status} data-scim-type={error.scimType}>
      {error.detail}
      {error.status ? <span class="error-code"> ({error.status}{error.scimType ? ` ${error.scimType}` : ''})</span> : null}
    </p>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return <p class="loading" role="status" aria-live="polite">{what}…</p>;
}
