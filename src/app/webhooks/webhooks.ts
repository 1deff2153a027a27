import { randomUUID } from 'node:crypto';
import { checkTenantAdministrator } from '../../domain/access';
import { parseTypePatterns } from '../../domain/events/type-pattern';
import type { Principal } from '../../domain/principal';
import { newWebhookSecret } from '../../domain/webhooks/signature';
import { conflict, invalidValue, notFound } from '../../scim/errors';
import type { JsonObject } from '../../scim/values/json';
import type { Delivery, DeliveryState, WebhookRecord, WebhookStore, WebhookUpdate } from '../../store/port';
import { wholeNumber } from '../whole-number';
import { checkWebhookUrl } from './webhook-url';

/** Most webhooks one tenant may have: each is a delivery queue the dispatcher works on. */
export const MAX_WEBHOOKS = 20;
export const MAX_DELIVERY_PAGE = 100;
const MAX_DESCRIPTION = 256;
const STATES: readonly DeliveryState[] = ['pending', 'delivered', 'failed'];

/** A webhook as shown: never its secret (shown once, at creation) nor the dispatcher's cursor. */
export type WebhookView = Omit<WebhookRecord, 'secret' | 'cursor'>;
const view = ({ secret: _secret, cursor: _cursor, ...shown }: WebhookRecord): WebhookView => shown;

export interface WebhookSettings {
  /** WEBHOOK_ALLOW_PRIVATE: http and private addresses allowed. */
  readonly allowPrivate: boolean;
}

function description(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string' || value.length > MAX_DESCRIPTION) throw invalidValue(`description must be a string of at most ${MAX_DESCRIPTION} characters`);
  return value;
}

function onlyKeys(body: JsonObject, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length) throw invalidValue(`A webhook takes ${allowed.join(', ')}; not ${unknown.join(', ')}`);
}

/** One tenant's webhooks, managed by its administrators (operator and service tokens). */
export class Webhooks {
  constructor(
    private readonly store: WebhookStore,
    private readonly actor: Principal,
    private readonly settings: WebhookSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `{"url", "events": [patterns], "description"}` → the webhook with its signing secret, shown this once. */
  async create(body: JsonObject): Promise<WebhookView & { secret: string }> {
    this.check();
    onlyKeys(body, ['url', 'events', 'description']);
    if (body.events === undefined) throw invalidValue('Name the events to send: "events": ["user.*", "group.member_*"] (or ["*"] for all)');
    const events = parseTypePatterns(body.events);
    const url = await checkWebhookUrl(body.url, this.settings.allowPrivate);
    if ((await this.store.list()).length >= MAX_WEBHOOKS) throw conflict(`A tenant may have at most ${MAX_WEBHOOKS} webhooks; delete one first`);
    const secret = newWebhookSecret();
    const text = description(body.description);
    const webhook = await this.store.create({ id: randomUUID(), url, events, secret, ...(text ? { description: text } : {}) });
    return { ...view(webhook), secret };
  }

  async list(): Promise<WebhookView[]> {
    this.check();
    return (await this.store.list()).map(view);
  }

  async get(id: string): Promise<WebhookView> {
    this.check();
    return view(await this.record(id));
  }

  /** `url`, `events`, `description` (null removes it), `active` (true re-enables, resuming where it stopped). */
  async update(id: string, body: JsonObject): Promise<WebhookView> {
    this.check();
    onlyKeys(body, ['url', 'events', 'description', 'active']);
    if (body.active !== undefined && typeof body.active !== 'boolean') throw invalidValue('active must be true or false');
    const change: WebhookUpdate = {
      ...(body.url === undefined ? {} : { url: await checkWebhookUrl(body.url, this.settings.allowPrivate) }),
      ...(body.events === undefined ? {} : { events: parseTypePatterns(body.events) }),
      ...(body.description === undefined ? {} : { description: description(body.description) }),
      ...(body.active === undefined ? {} : { active: body.active }),
    };
    const updated = await this.store.update(id, change);
    if (!updated) throw noWebhook(id);
    return view(updated);
  }

  async delete(id: string): Promise<void> {
    this.check();
    if (!(await this.store.delete(id))) throw noWebhook(id);
  }

  /** Newest first; `before` = the previous page's `next`. */
  async deliveries(id: string, query: { before?: string; limit?: string; state?: string }): Promise<{ deliveries: readonly Delivery[]; next?: number }> {
    this.check();
    await this.record(id);
    if (query.state !== undefined && !STATES.includes(query.state as DeliveryState)) throw invalidValue(`state must be one of ${STATES.join(', ')}`);
    const limit = Math.min(wholeNumber(query.limit, 'limit', 1) ?? 20, MAX_DELIVERY_PAGE);
    const deliveries = await this.store.deliveries(id, { before: wholeNumber(query.before, 'before', 1), limit, state: query.state as DeliveryState | undefined });
    return { deliveries, ...(deliveries.length === limit ? { next: deliveries[deliveries.length - 1].eventId } : {}) };
  }

  /** Queues the event for this webhook again, due now, with a new retry window. */
  async retry(id: string, eventId: string): Promise<Delivery> {
    this.check();
    await this.record(id);
    const delivery = await this.store.retry(id, wholeNumber(eventId, 'The event id', 1) ?? 0, this.now().toISOString());
    if (!delivery) throw notFound(`No event has the id ${JSON.stringify(eventId)} in this tenant (it may have passed EVENTS_RETENTION_DAYS)`);
    return delivery;
  }

  private check(): void {
    checkTenantAdministrator(this.actor, 'manage webhooks');
  }

  private async record(id: string): Promise<WebhookRecord> {
    const webhook = await this.store.get(id);
    if (!webhook) throw noWebhook(id);
    return webhook;
  }
}

const noWebhook = (id: string) => notFound(`No webhook has the id ${JSON.stringify(id)}`);
