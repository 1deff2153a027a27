import { changeJournal } from '../../../src/domain/events/journal';
import { SYSTEM_ORIGIN } from '../../../src/domain/events/event-actor';
import type { TenantRecord, TokenRecord, WebhookRecord } from '../../../src/store/port';

/**
 * Tokens, the tenant and webhooks: one event per change, named by id (and name); their
 * secrets (a token's hash, a webhook's signing secret) and bookkeeping never appear.
 */
const { draft } = changeJournal(SYSTEM_ORIGIN);

describe('token events', () => {
  const token: TokenRecord = { id: 't1', name: 'okta', hash: 'sha256-of-the-token-secret', created: '2030-01-01T00:00:00.000Z' };
  const RESOURCE = { type: 'Token', id: 't1', name: 'okta' };

  it('token.created of a service token without expiry has no changes to list', () => {
    expect(draft({ of: 'token', kind: 'created', token })).toEqual([{ type: 'token.created', resource: RESOURCE }]);
  });

  it('token.created of a user-bound token with an expiry says whom it acts as and until when', () => {
    const bound = { ...token, userId: 'u1', expires: '2030-03-01T00:00:00.000Z' };
    expect(draft({ of: 'token', kind: 'created', token: bound })).toEqual([{
      type: 'token.created', resource: RESOURCE, changes: [{ path: 'expires', after: '2030-03-01T00:00:00.000Z' }, { path: 'userId', after: 'u1' }],
    }]);
  });

  it.each([['revoked', 'token.revoked'], ['removed', 'token.deleted']] as const)('%s is %s', (kind, type) => {
    expect(draft({ of: 'token', kind, token: { ...token, revoked: '2030-02-01T00:00:00.000Z' } })).toEqual([{ type, resource: RESOURCE }]);
  });

  it('never carries the hash', () => {
    const events = (['created', 'revoked', 'removed'] as const).flatMap((kind) => draft({ of: 'token', kind, token: { ...token, userId: 'u1' } }));
    expect(JSON.stringify(events)).not.toContain('sha256-of-the-token-secret');
  });
});

describe('tenant events', () => {
  const acme: TenantRecord = { id: 'acme', name: 'Acme', created: '2030-01-01T00:00:00.000Z', lastModified: '2030-01-01T00:00:00.000Z', settings: { maxRoles: 10 } };
  const RESOURCE = { type: 'Tenant', id: 'acme', name: 'Acme' };

  it('tenant.created lists the name and each setting', () => {
    expect(draft({ of: 'tenant', kind: 'created', after: { ...acme, settings: { maxRoles: 10, retentionDeletedDays: 'off' } } })).toEqual([{
      type: 'tenant.created', resource: RESOURCE,
      changes: [{ path: 'name', after: 'Acme' }, { path: 'settings.maxRoles', after: 10 }, { path: 'settings.retentionDeletedDays', after: 'off' }],
    }]);
  });

  it('tenant.updated lists the name and the settings that changed, naming the tenant as it is now', () => {
    const after = { ...acme, name: 'Acme Corp', lastModified: '2030-02-01T00:00:00.000Z', settings: { usernameImmutable: true } };
    expect(draft({ of: 'tenant', kind: 'updated', before: acme, after })).toEqual([{
      type: 'tenant.updated', resource: { ...RESOURCE, name: 'Acme Corp' },
      changes: [
        { path: 'name', before: 'Acme', after: 'Acme Corp' },
        { path: 'settings.maxRoles', before: 10 },
        { path: 'settings.usernameImmutable', after: true },
      ],
    }]);
  });

  it('an update that changes nothing (not even with a new lastModified) records nothing', () => {
    expect(draft({ of: 'tenant', kind: 'updated', before: acme, after: { ...acme, lastModified: '2030-02-01T00:00:00.000Z', settings: { maxRoles: 10 } } })).toEqual([]);
  });
});

describe('webhook events', () => {
  const hook: WebhookRecord = {
    id: 'w1', url: 'https://app.example.com/hooks/roster', events: ['user.*'], secret: 'whsec_do-not-show', description: 'Sessions',
    active: true, created: '2030-01-01T00:00:00.000Z', lastModified: '2030-01-01T00:00:00.000Z', cursor: 17, consecutiveFailures: 0,
  };
  const RESOURCE = { type: 'Webhook', id: 'w1' };

  it('webhook.created lists what its owner set', () => {
    expect(draft({ of: 'webhook', kind: 'created', webhook: hook })).toEqual([{
      type: 'webhook.created', resource: RESOURCE,
      changes: [
        { path: 'active', after: true },
        { path: 'description', after: 'Sessions' },
        { path: 'events', after: ['user.*'] },
        { path: 'url', after: 'https://app.example.com/hooks/roster' },
      ],
    }]);
  });

  it('webhook.deleted lists the state that ended, as before values', () => {
    const { description: _, ...plain } = hook;
    expect(draft({ of: 'webhook', kind: 'deleted', webhook: plain })).toEqual([{
      type: 'webhook.deleted', resource: RESOURCE,
      changes: [{ path: 'active', before: true }, { path: 'events', before: ['user.*'] }, { path: 'url', before: 'https://app.example.com/hooks/roster' }],
    }]);
  });

  it('webhook.updated lists url, events, description and active as changed, and nothing of the bookkeeping', () => {
    const after: WebhookRecord = {
      ...hook, events: ['user.*', 'group.member_*'], description: undefined, secret: 'whsec_rotated', cursor: 99, consecutiveFailures: 3, lastModified: '2030-02-01T00:00:00.000Z',
    };
    expect(draft({ of: 'webhook', kind: 'updated', before: hook, after })).toEqual([{
      type: 'webhook.updated', resource: RESOURCE,
      changes: [{ path: 'description', before: 'Sessions' }, { path: 'events', before: ['user.*'], after: ['user.*', 'group.member_*'] }],
    }]);
  });

  it('an update of bookkeeping alone records nothing', () => {
    expect(draft({ of: 'webhook', kind: 'updated', before: hook, after: { ...hook, cursor: 40, consecutiveFailures: 2 } })).toEqual([]);
  });

  it('webhook.disabled says it is no longer active, and why', () => {
    const disabled = { ...hook, active: false, disabledAt: '2030-02-01T00:00:00.000Z', disabledReason: '10 consecutive events failed' };
    expect(draft({ of: 'webhook', kind: 'disabled', webhook: disabled })).toEqual([{
      type: 'webhook.disabled', resource: RESOURCE,
      changes: [{ path: 'active', before: true, after: false }, { path: 'disabledReason', after: '10 consecutive events failed' }],
    }]);
  });

  it('never carries the signing secret', () => {
    const events = [
      ...draft({ of: 'webhook', kind: 'created', webhook: hook }),
      ...draft({ of: 'webhook', kind: 'updated', before: hook, after: { ...hook, url: 'https://b.example.com/', secret: 'whsec_second' } }),
      ...draft({ of: 'webhook', kind: 'disabled', webhook: hook }),
      ...draft({ of: 'webhook', kind: 'deleted', webhook: hook }),
    ];
    expect(events).toHaveLength(4);
    expect(JSON.stringify(events)).not.toMatch(/whsec_|secret/);
  });
});
