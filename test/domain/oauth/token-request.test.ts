import { OAuthError } from '../../../src/domain/oauth/oauth-error';
import { parseTokenRequest, type RawTokenRequest } from '../../../src/domain/oauth/token-request';

const ID = 'c0ffee00-0000-4000-8000-000000000001';
const SECRET = 'roster_cs_AbC-dEf_123';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`, 'utf8').toString('base64')}`;
const grant = { grant_type: 'client_credentials' };

/** The OAuthError a request is refused with. */
function refusal(raw: RawTokenRequest): OAuthError {
  try {
    parseTokenRequest(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthError);
    return error as OAuthError;
  }
  throw new Error('expected the request to be refused');
}

/**
 * A client credentials token request (RFC 6749 §4.4.2) with client authentication by HTTP Basic
 * or by form fields (§2.3.1), never both; every refusal is an RFC 6749 §5.2 error.
 */
describe('parseTokenRequest', () => {
  describe('accepts', () => {
    it.each<[string, RawTokenRequest, object]>([
      ['HTTP Basic', { authorization: basic(ID, SECRET), form: grant }, { clientId: ID, clientSecret: SECRET }],
      ['HTTP Basic, scheme in any case and extra blanks', { authorization: `bAsIc   ${Buffer.from(`${ID}:${SECRET}`).toString('base64')} `, form: grant }, { clientId: ID, clientSecret: SECRET }],
      ['HTTP Basic whose halves are form-urlencoded (§2.3.1)', { authorization: basic('a%3Ab+c', 's%25x'), form: grant }, { clientId: 'a:b c', clientSecret: 's%x' }],
      ['HTTP Basic with a colon in the secret (split at the first)', { authorization: basic(ID, 'x:y'), form: grant }, { clientId: ID, clientSecret: 'x:y' }],
      ['HTTP Basic with the same client_id repeated in the form', { authorization: basic(ID, SECRET), form: { ...grant, client_id: ID } }, { clientId: ID, clientSecret: SECRET }],
      ['form fields', { form: { ...grant, client_id: ID, client_secret: SECRET } }, { clientId: ID, clientSecret: SECRET }],
      ['form fields and an empty Authorization header', { authorization: ' ', form: { ...grant, client_id: ID, client_secret: SECRET } }, { clientId: ID, clientSecret: SECRET }],
      ['a scope, which is kept', { form: { ...grant, client_id: ID, client_secret: SECRET, scope: 'scim offline' } }, { clientId: ID, clientSecret: SECRET, scope: 'scim offline' }],
      ['an empty scope, as if omitted (§3.2)', { form: { ...grant, client_id: ID, client_secret: SECRET, scope: '' } }, { clientId: ID, clientSecret: SECRET }],
      ['unknown fields, which are ignored (§3.2)', { form: { ...grant, client_id: ID, client_secret: SECRET, resource: 'https://x' } }, { clientId: ID, clientSecret: SECRET }],
    ])('%s', (_case, raw, expected) => {
      expect(parseTokenRequest(raw)).toEqual(expected);
    });
  });

  describe('refuses', () => {
    it.each<[string, RawTokenRequest, number, string, RegExp]>([
      ['no grant_type', { form: { client_id: ID, client_secret: SECRET } }, 400, 'invalid_request', /grant_type is missing/],
      ['an empty grant_type', { form: { grant_type: '', client_id: ID, client_secret: SECRET } }, 400, 'invalid_request', /grant_type is missing/],
      ['another grant type', { form: { grant_type: 'password', client_id: ID, client_secret: SECRET } }, 400, 'unsupported_grant_type', /client_credentials only, not password/],
      ['grant_type in another case', { form: { grant_type: 'Client_Credentials' } }, 400, 'unsupported_grant_type', /client_credentials only/],
      ['grant_type sent twice', { form: { grant_type: ['client_credentials', 'client_credentials'] } }, 400, 'invalid_request', /grant_type is sent more than once/],
      ['client_secret sent twice', { form: { ...grant, client_id: ID, client_secret: [SECRET, SECRET] } }, 400, 'invalid_request', /client_secret is sent more than once/],
      ['Basic and client_secret at once', { authorization: basic(ID, SECRET), form: { ...grant, client_secret: SECRET } }, 400, 'invalid_request', /one method only/],
      ['a form client_id naming another client than Basic', { authorization: basic(ID, SECRET), form: { ...grant, client_id: 'other' } }, 400, 'invalid_request', /another client/],
      ['Basic credentials without a colon', { authorization: `Basic ${Buffer.from('nocolon').toString('base64')}`, form: grant }, 400, 'invalid_request', /no colon/],
      ['Basic credentials that are not base64', { authorization: 'Basic ***', form: grant }, 400, 'invalid_request', /not base64/],
      ['Basic halves with broken percent-encoding', { authorization: basic('%zz', SECRET), form: grant }, 400, 'invalid_request', /not validly form-urlencoded/],
      ['a Bearer header', { authorization: 'Bearer roster_x', form: grant }, 401, 'invalid_client', /does not take Bearer authorization/],
      ['no client authentication at all', { form: grant }, 401, 'invalid_client', /No client authentication/],
      ['client_id without client_secret', { form: { ...grant, client_id: ID } }, 401, 'invalid_client', /client_secret is missing/],
      ['client_secret without client_id', { form: { ...grant, client_secret: SECRET } }, 400, 'invalid_request', /without client_id/],
    ])('%s', (_case, raw, status, code, description) => {
      const error = refusal(raw);
      expect(error.status).toBe(status);
      expect(error.code).toBe(code);
      expect(error.description).toMatch(description);
    });
  });

  it('challenges every invalid_client with Basic (HTTP requires a challenge on a 401)', () => {
    expect(refusal({ form: grant }).headers).toEqual({ 'WWW-Authenticate': 'Basic realm="Roster", charset="UTF-8"' });
  });

  it('judges the grant type before the client: a request for another grant learns nothing of its credentials', () => {
    expect(refusal({ authorization: 'Bearer x', form: { grant_type: 'password' } }).code).toBe('unsupported_grant_type');
  });

  it('does not echo more than 64 characters of an unknown grant type', () => {
    expect(refusal({ form: { grant_type: 'x'.repeat(1000) } }).description.length).toBeLessThan(150);
  });
});
