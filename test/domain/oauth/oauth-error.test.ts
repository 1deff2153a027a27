import { invalidClient, invalidRequest, OAuthError, temporarilyUnavailable, unsupportedGrantType } from '../../../src/domain/oauth/oauth-error';

/** RFC 6749 §5.2 error responses of the token endpoint. */
describe('OAuthError', () => {
  it.each<[string, OAuthError, number, string, Record<string, string>]>([
    ['invalid_request', invalidRequest('The request is malformed'), 400, 'invalid_request', {}],
    ['invalid_request with another status (a body too large)', invalidRequest('Too large', 413), 413, 'invalid_request', {}],
    ['invalid_client, with a Basic challenge', invalidClient('Unknown client'), 401, 'invalid_client', { 'WWW-Authenticate': 'Basic realm="Roster", charset="UTF-8"' }],
    ['unsupported_grant_type', unsupportedGrantType('Only client_credentials'), 400, 'unsupported_grant_type', {}],
    ['temporarily_unavailable with Retry-After', temporarilyUnavailable(429, 'Too many failures', '12'), 429, 'temporarily_unavailable', { 'Retry-After': '12' }],
    ['temporarily_unavailable without Retry-After', temporarilyUnavailable(503, 'Store away'), 503, 'temporarily_unavailable', {}],
  ])('%s', (_case, error, status, code, headers) => {
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.headers).toEqual(headers);
    expect(error.body).toEqual({ error: code, error_description: error.description });
  });

  it('keeps error_description within the characters §5.2 allows (no double quote, no backslash, ASCII only)', () => {
    const error = invalidRequest('grant_type "pässword" \\ unknown');
    expect(error.description).toBe("grant_type 'p?ssword' ' unknown");
    expect(error.description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/);
  });
});
