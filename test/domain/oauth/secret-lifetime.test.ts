import { accessTokenSeconds, secretDays, secretExpiry, secretState, SECRET_DAYS } from '../../../src/domain/oauth/secret-lifetime';
import { refusal } from '../../support/refusal';

const NOW = new Date('2030-01-01T00:00:00Z');
const HOUR = 3_600_000;

describe('secretDays: how long a client secret lasts (1 to 1095 days, a year by default)', () => {
  it.each<[unknown, number]>([
    [undefined, 365],
    [null, 365],
    [1, 1],
    [90, 90],
    [1095, 1095],
  ])('%p → %p days', (value, days) => {
    expect(secretDays(value, 'expiresInDays')).toBe(days);
  });

  it.each<[unknown]>([[0], [1096], [-5], [1.5], ['90'], [true], [[30]]])('refuses %p with 400 invalidValue naming the field and the range', (value) => {
    expect(refusal(() => secretDays(value, 'expiresInDays'), 400, 'invalidValue').detail).toMatch(/expiresInDays must be a whole number of days from 1 to 1095/);
  });

  it('bounds are those of Entra ID\'s gallery (1 to 3 years) with a year by default', () => {
    expect(SECRET_DAYS).toEqual({ fallback: 365, min: 1, max: 1095 });
  });
});

describe('secretExpiry', () => {
  it('is the creation time plus whole days', () => {
    expect(secretExpiry(NOW, 365)).toBe('2031-01-01T00:00:00.000Z');
  });
});

describe('secretState', () => {
  it.each<[string, { expires: string; revoked?: string }, string]>([
    ['before its expiry', { expires: '2030-01-01T00:00:01Z' }, 'active'],
    ['at its expiry', { expires: '2030-01-01T00:00:00Z' }, 'expired'],
    ['after its expiry', { expires: '2029-12-31T00:00:00Z' }, 'expired'],
    ['revoked, still within its time', { expires: '2031-01-01T00:00:00Z', revoked: '2029-12-31T00:00:00Z' }, 'revoked'],
    ['revoked and expired (revoked wins: someone did it)', { expires: '2029-01-01T00:00:00Z', revoked: '2028-12-31T00:00:00Z' }, 'revoked'],
  ])('%s → %s', (_case, secret, state) => {
    expect(secretState(secret, NOW)).toBe(state);
  });
});

describe('accessTokenSeconds: OAUTH_TOKEN_TTL, never past the secret', () => {
  it.each<[string, number, string, number]>([
    ['the lifetime when the secret lasts longer', HOUR, '2031-01-01T00:00:00Z', 3600],
    ['six hours when configured so', 6 * HOUR, '2031-01-01T00:00:00Z', 21_600],
    ['what is left of the secret when that is shorter', HOUR, '2030-01-01T00:10:00.500Z', 600],
    ['0 when the secret ends within a second', HOUR, '2030-01-01T00:00:00.999Z', 0],
    ['0 (never negative) when the secret has ended', HOUR, '2029-01-01T00:00:00Z', 0],
  ])('%s', (_case, ttlMs, secretExpires, seconds) => {
    expect(accessTokenSeconds(NOW, ttlMs, secretExpires)).toBe(seconds);
  });
});
