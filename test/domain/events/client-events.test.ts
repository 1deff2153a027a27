import { changeJournal } from '../../../src/domain/events/journal';
import { SYSTEM_ORIGIN } from '../../../src/domain/events/event-actor';
import type { ClientRecord, ClientSecretRecord, TokenRecord } from '../../../src/store/port';

/**
 * OAuth clients: one event per change, about the client (so a feed filtered by its id holds its
 * whole history); a secret named by its id, never by its value or hash. Issuing, revoking or
 * removing an access token records nothing.
 */
const { draft } = changeJournal(SYSTEM_ORIGIN);

const client: ClientRecord = { id: 'c-7f3a', tenantId: 'acme', name: 'entra', created: '2030-01-01T00:00:00.000Z' };
const secret: ClientSecretRecord = {
  id: 's-1', clientId: 'c-7f3a', hash: 'sha256-of-the-client-secret', created: '2030-01-01T00:00:00.000Z', expires: '2031-01-01T00:00:00.000Z',
};
const RESOURCE = { type: 'Client', id: 'c-7f3a', name: 'entra' };

describe('client events', () => {
  it.each([['created', 'client.created'], ['deleted', 'client.deleted']] as const)('%s is %s, naming the client, without changes', (kind, type) => {
    expect(draft({ of: 'client', kind, client })).toEqual([{ type, resource: RESOURCE }]);
  });

  it('client.secret_added names the secret by id and says until when it is valid', () => {
    expect(draft({ of: 'client', kind: 'secretAdded', client, secret })).toEqual([{
      type: 'client.secret_added', resource: RESOURCE,
      changes: [{ path: 'secret.expires', after: '2031-01-01T00:00:00.000Z' }, { path: 'secret.id', after: 's-1' }],
    }]);
  });

  it('client.secret_revoked names the secret by id and when it was revoked', () => {
    const revoked = { ...secret, revoked: '2030-06-01T00:00:00.000Z', lastUsed: '2030-05-31T23:00:00.000Z' };
    expect(draft({ of: 'client', kind: 'secretRevoked', client, secret: revoked })).toEqual([{
      type: 'client.secret_revoked', resource: RESOURCE,
      changes: [{ path: 'secret.id', after: 's-1' }, { path: 'secret.revoked', after: '2030-06-01T00:00:00.000Z' }],
    }]);
  });

  it('never carries a secret\'s hash', () => {
    const events = (['secretAdded', 'secretRevoked'] as const).flatMap((kind) => draft({ of: 'client', kind, client, secret }));
    expect(JSON.stringify(events)).not.toContain('sha256-of-the-client-secret');
  });
});

describe('OAuth access tokens', () => {
  const accessToken: TokenRecord = {
    id: 't-9', name: 'entra', hash: 'h', created: '2030-01-01T00:00:00.000Z', expires: '2030-01-01T01:00:00.000Z', tenantId: 'acme', clientId: 'c-7f3a', secretId: 's-1',
  };

  it.each(['created', 'revoked', 'removed'] as const)('record no event when %s (one is issued every hour per identity provider)', (kind) => {
    expect(draft({ of: 'token', kind, token: accessToken })).toEqual([]);
  });

  it('while a bearer token of the same tenant still records its own', () => {
    const { clientId: _clientId, secretId: _secretId, ...bearer } = accessToken;
    expect(draft({ of: 'token', kind: 'created', token: bearer }).map((e) => e.type)).toEqual(['token.created']);
  });
});
