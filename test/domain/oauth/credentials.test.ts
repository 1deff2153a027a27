import { createHash } from 'node:crypto';
import { hashSecret, newAccessToken, newClientId, newClientSecret } from '../../../src/domain/oauth/credentials';

describe('client credentials and access tokens', () => {
  it.each([
    ['a client secret', newClientSecret, /^roster_cs_[A-Za-z0-9_-]{43}$/],
    ['an access token', newAccessToken, /^roster_at_[A-Za-z0-9_-]{43}$/],
  ])('%s is its prefix and 32 random bytes in base64url (unchanged by form-urlencoding)', (_what, make, shape) => {
    const a = make();
    expect(a).toMatch(shape);
    expect(encodeURIComponent(a)).toBe(a);
    expect(make()).not.toBe(a);
  });

  it('a client id is a random UUID', () => {
    expect(newClientId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newClientId()).not.toBe(newClientId());
  });

  it('secrets are kept as their SHA-256, like bearer tokens', () => {
    expect(hashSecret('roster_cs_x')).toBe(createHash('sha256').update('roster_cs_x').digest('hex'));
  });
});
