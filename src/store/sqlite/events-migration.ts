/**
 * Migration 6: change events, webhooks and their deliveries.
 *
 * events: one row per event, keyed (tenant_id, id), the id taken from event_sequences in the
 * transaction of the change (a counter, not max(id): ids never repeat after retention erases the
 * newest). The feed reads by id after a position, optionally through the resource, member or
 * actor index; retention by occurred_at.
 *
 * deliveries: one row per (webhook, event) queued; the attempts are a JSON array capped at
 * MAX_KEPT_ATTEMPTS. The partial index over pending rows is the dispatcher's queue.
 */
export const eventsMigration = `
  CREATE TABLE event_sequences (
    tenant_id TEXT PRIMARY KEY REFERENCES tenants (id),
    last_id INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE events (
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    id INTEGER NOT NULL,
    type TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    member_id TEXT,
    actor_token_id TEXT,
    event TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX events_resource ON events (tenant_id, resource_id, id);
  CREATE INDEX events_member ON events (tenant_id, member_id, id) WHERE member_id IS NOT NULL;
  CREATE INDEX events_actor ON events (tenant_id, actor_token_id, id) WHERE actor_token_id IS NOT NULL;
  CREATE INDEX events_occurred ON events (tenant_id, occurred_at);

  CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    description TEXT,
    active INTEGER NOT NULL,
    created TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    cursor INTEGER NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    disabled_at TEXT,
    disabled_reason TEXT,
    lease_owner TEXT,
    lease_until TEXT
  );
  CREATE INDEX webhooks_tenant ON webhooks (tenant_id, created);
  CREATE INDEX webhooks_claimable ON webhooks (lease_until) WHERE active = 1;

  CREATE TABLE deliveries (
    webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL,
    tenant_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    queued_at TEXT NOT NULL,
    next_attempt_at TEXT,
    attempts TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (webhook_id, event_id)
  ) WITHOUT ROWID;
  CREATE INDEX deliveries_pending ON deliveries (webhook_id, event_id) WHERE state = 'pending';
  CREATE INDEX deliveries_state ON deliveries (webhook_id, state, event_id);
  CREATE INDEX deliveries_tenant_event ON deliveries (tenant_id, event_id);
`;
