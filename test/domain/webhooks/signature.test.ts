import { createHmac } from 'node:crypto';
import { newWebhookSecret, signatureHeader } from '../../../src/domain/webhooks/signature';

/**
 * Roster-Signature: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. The fixed
 * vectors were computed outside Node (`printf '%s' '<t>.<body>' | openssl dgst -sha256 -hmac <secret>`).
 */
describe('signatureHeader', () => {
  it('matches a vector computed with openssl', () => {
    expect(signatureHeader('whsec_test_secret', '{"id":42,"type":"user.created"}', 1_700_000_000))
      .toBe('t=1700000000,v1=eb423e45d5c2644a59a5d7f45a993493180b729b41d5fe3e4189f09918e77603');
  });

  it('signs the body as UTF-8 bytes', () => {
    expect(signatureHeader('whsec_test_secret', '{"name":"Zoë"}', 1_700_000_000))
      .toBe('t=1700000000,v1=b28c296674984af1a815da29fa4dc8b2e05316dfbe96aeb2a82efa1fec43d187');
  });

  it('is the HMAC of "<t>.<body>" keyed with the whole secret', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ id: 7, type: 'group.member_added', resource: { type: 'Group', id: 'g1' } });
    const expected = createHmac('sha256', secret).update(`1800000000.${body}`).digest('hex');
    expect(signatureHeader(secret, body, 1_800_000_000)).toBe(`t=1800000000,v1=${expected}`);
  });

  it('changes with the body, the secret and the time', () => {
    const base = signatureHeader('whsec_a', '{}', 1_700_000_000);
    expect(signatureHeader('whsec_a', '{ }', 1_700_000_000)).not.toBe(base);
    expect(signatureHeader('whsec_b', '{}', 1_700_000_000)).not.toBe(base);
    expect(signatureHeader('whsec_a', '{}', 1_700_000_001)).not.toBe(base);
  });

  it('states whole seconds', () => {
    expect(signatureHeader('whsec_a', '{}', 1_700_000_000.9)).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
  });
});

describe('newWebhookSecret', () => {
  it('is whsec_ and 32 random bytes in base64url', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64url')).toHaveLength(32);
  });

  it('is different every time', () => {
    const secrets = new Set(Array.from({ length: 100 }, newWebhookSecret));
    expect(secrets.size).toBe(100);
  });
});
