import { call } from './http';

/** A change event as the feed and webhooks carry it (docs/events.md). */
export interface ChangeEvent {
  readonly id: number;
  readonly type: string;
  readonly tenant: string;
  readonly occurredAt: string;
  readonly actor: { readonly kind: 'service' | 'operator' | 'user' | 'system'; readonly tokenId?: string; readonly tokenName?: string; readonly userId?: string };
  readonly requestId?: string;
  readonly resource: { readonly type: string; readonly id: string; readonly userName?: string; readonly displayName?: string; readonly name?: string };
  readonly member?: { readonly type: string; readonly id: string; readonly userName?: string };
  readonly changes?: readonly { readonly path: string; readonly before?: unknown; readonly after?: unknown; readonly changed?: boolean }[];
}

export interface EventPage {
  readonly events: ChangeEvent[];
  /** Oldest first: continue with after=next. Newest first (order=newest): continue with before=next; absent at the oldest. */
  readonly next?: number;
}

export interface FeedQuery {
  readonly type?: string;
  readonly resourceId?: string;
  readonly actor?: string;
  readonly limit?: number;
  readonly after?: number;
  /** Newest first, below this id (order=newest). */
  readonly before?: number;
  readonly order?: 'newest';
}

/** GET {admin}/events: one tenant's change events (the audit trail). */
export const readEvents = (token: string, admin: string, query: FeedQuery): Promise<EventPage> =>
  call<EventPage>(token, 'GET', `${admin}/events`, { query: { ...query } }).then((a) => a.body);
