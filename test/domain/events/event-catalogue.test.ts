import { EVENT_TYPES } from '../../../src/domain/events/event-types';
import { eventActorOf, SYSTEM_ORIGIN } from '../../../src/domain/events/event-actor';
import { changeJournal } from '../../../src/domain/events/journal';

/** The catalogue is the documented list of types: stable names, each described. */
describe('EVENT_TYPES', () => {
  it('lists each type once, named <resource>.<what happened>, with a sentence', () => {
    const types = EVENT_TYPES.map((t) => t.type);
    expect(new Set(types).size).toBe(types.length);
    for (const { type, description } of EVENT_TYPES) {
      expect(type).toMatch(/^(user|group|token|tenant|webhook|client)\.[a-z_]+$/);
      expect(description).toMatch(/^[A-Z].{15,}\.$/);
    }
  });

  it('holds the documented types (names are never changed once published)', () => {
    expect(EVENT_TYPES.map((t) => t.type)).toEqual([
      'user.created', 'user.updated', 'user.activated', 'user.deactivated', 'user.deleted', 'user.restored', 'user.erased',
      'group.created', 'group.updated', 'group.deleted', 'group.member_added', 'group.member_removed',
      'token.created', 'token.revoked', 'token.deleted', 'tenant.created', 'tenant.updated',
      'webhook.created', 'webhook.updated', 'webhook.deleted', 'webhook.disabled',
      'client.created', 'client.deleted', 'client.secret_added', 'client.secret_revoked',
    ]);
  });
});

describe('the actor of an event', () => {
  it.each([
    [{ kind: 'operator', tokenId: 't0', tokenName: 'bootstrap' }, { kind: 'operator', tokenId: 't0', tokenName: 'bootstrap' }],
    [{ kind: 'service', tokenId: 't1', tokenName: 'okta', tenantId: 'acme' }, { kind: 'service', tokenId: 't1', tokenName: 'okta' }],
    [{ kind: 'user', tokenId: 't2', tokenName: 'cli', tenantId: 'acme', userId: 'u1' }, { kind: 'user', tokenId: 't2', tokenName: 'cli', userId: 'u1' }],
  ] as const)('of %j is %j', (principal, actor) => {
    expect(eventActorOf(principal)).toEqual(actor);
  });

  it('is Roster itself for its own work', () => {
    expect(SYSTEM_ORIGIN).toEqual({ actor: { kind: 'system' } });
  });

  it('is the journal\'s origin, which the store adds to each event', () => {
    const origin = { actor: eventActorOf({ kind: 'service', tokenId: 't1', tokenName: 'okta', tenantId: 'acme' }), requestId: 'req-1' };
    expect(changeJournal(origin).origin).toBe(origin);
  });
});

describe('the journal and the catalogue', () => {
  it('drafts only catalogued types, and every catalogued type from some change', () => {
    const { draft } = changeJournal(SYSTEM_ORIGIN);
    const meta = { created: '2030-01-01T00:00:00.000Z', lastModified: '2030-01-01T00:00:00.000Z', version: 1 };
    const on = { ...meta, id: 'u1', data: { userName: 'ada', active: true } };
    const off = { ...on, data: { userName: 'ada', active: false } };
    const renamed = { ...on, data: { userName: 'ada.l', active: true } };
    const group = { ...meta, id: 'g1', data: { displayName: 'Admins' } };
    const regroup = { ...group, data: { displayName: 'Ops' } };
    const token = { id: 't1', name: 'okta', hash: 'h', created: meta.created };
    const tenant = { id: 'acme', name: 'Acme', created: meta.created, lastModified: meta.created, settings: {} };
    const client = { id: 'c1', tenantId: 'acme', name: 'entra', created: meta.created };
    const secret = { id: 's1', clientId: 'c1', hash: 'h', created: meta.created, expires: meta.created };
    const hook = { id: 'w1', url: 'https://a.example.com/', events: ['*'], secret: 's', active: true, created: meta.created, lastModified: meta.created, cursor: 0, consecutiveFailures: 0 };
    const drafted = [
      draft({ of: 'user', kind: 'created', after: on, passwordSet: false }),
      draft({ of: 'user', kind: 'updated', before: on, after: renamed, passwordChanged: false }),
      draft({ of: 'user', kind: 'updated', before: off, after: on, passwordChanged: false }),
      draft({ of: 'user', kind: 'updated', before: on, after: off, passwordChanged: false }),
      draft({ of: 'user', kind: 'deleted', before: on }),
      draft({ of: 'user', kind: 'restored', after: on }),
      draft({ of: 'user', kind: 'erased', user: { id: 'u1', userName: 'ada' } }),
      draft({ of: 'group', kind: 'created', after: group, added: [{ id: 'u1' }] }),
      draft({ of: 'group', kind: 'updated', before: group, after: regroup, added: [], removed: [{ id: 'u1' }] }),
      draft({ of: 'group', kind: 'deleted', before: group }),
      ...(['created', 'revoked', 'removed'] as const).map((kind) => draft({ of: 'token', kind, token })),
      draft({ of: 'tenant', kind: 'created', after: tenant }),
      draft({ of: 'tenant', kind: 'updated', before: tenant, after: { ...tenant, name: 'Acme Corp' } }),
      ...(['created', 'deleted', 'disabled'] as const).map((kind) => draft({ of: 'webhook', kind, webhook: hook })),
      draft({ of: 'webhook', kind: 'updated', before: hook, after: { ...hook, active: false } }),
      ...(['created', 'deleted'] as const).map((kind) => draft({ of: 'client', kind, client })),
      ...(['secretAdded', 'secretRevoked'] as const).map((kind) => draft({ of: 'client', kind, client, secret })),
    ].flat().map((e) => e.type);
    expect([...new Set(drafted)].sort()).toEqual(EVENT_TYPES.map((t) => t.type).sort());
  });
});
