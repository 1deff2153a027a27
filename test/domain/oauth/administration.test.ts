import { checkNotOAuthClient } from '../../../src/domain/access';
import { checkClientAdministrator } from '../../../src/domain/oauth/administration';
import { isOAuthClient, type Principal } from '../../../src/domain/principal';
import { refusal } from '../../support/refusal';

describe('who administers a tenant\'s clients', () => {
  const operator: Principal = { kind: 'operator', tokenId: 'o', tokenName: 'ops' };
  const service: Principal = { kind: 'service', tokenId: 't', tokenName: 'okta', tenantId: 'acme' };
  const client: Principal = { kind: 'service', tokenId: 'c1', tokenName: 'entra', tenantId: 'acme', clientId: 'c1' };
  const user: Principal = { kind: 'user', tokenId: 'u', tokenName: 'laptop', tenantId: 'acme', userId: 'u1' };

  it('knows an OAuth client\'s access token from a static service token', () => {
    expect([operator, service, client, user].map(isOAuthClient)).toEqual([false, false, true, false]);
  });

  it('operator and static service tokens may', () => {
    expect(() => checkClientAdministrator(operator)).not.toThrow();
    expect(() => checkClientAdministrator(service)).not.toThrow();
  });

  it('an access token may not (403, saying what may)', () => {
    expect(refusal(() => checkClientAdministrator(client), 403).detail).toMatch(/OAuth access token may only provision.*operator token or a service token/);
  });

  it('a user-bound token may not (403)', () => {
    expect(refusal(() => checkClientAdministrator(user), 403).detail).toMatch(/user-bound token may not/);
  });

  it('checkNotOAuthClient names what was refused', () => {
    expect(refusal(() => checkNotOAuthClient(client, 'manage webhooks'), 403).detail).toMatch(/to manage webhooks$/);
    expect(() => checkNotOAuthClient(service, 'manage webhooks')).not.toThrow();
  });
});
