import { checkWebhookUrl, MAX_WEBHOOK_URL_LENGTH } from '../../../src/app/webhooks/webhook-url';
import { ScimError } from '../../../src/scim/errors';

/**
 * A webhook URL is checked when a webhook is saved: refused with 400 invalidValue and a sentence
 * a person understands, or returned normalized. Only IP literals and `localhost` are used (both
 * resolve without a network).
 */
async function refusalOf(text: unknown, allowPrivate = false): Promise<string> {
  const error = await checkWebhookUrl(text, allowPrivate).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ScimError);
  expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
  const detail = (error as ScimError).detail;
  expect(detail).toMatch(/^The webhook URL.{20,}\.$/);
  return detail;
}

const PRIVATE_HINT = 'webhooks may only reach public addresses (unless WEBHOOK_ALLOW_PRIVATE=true).';

describe('a URL that can be delivered to', () => {
  it.each([
    ['https://8.8.8.8/hooks/roster', 'https://8.8.8.8/hooks/roster'],
    ['HTTPS://8.8.8.8:443/a/../hooks?x=1', 'https://8.8.8.8/hooks?x=1'],
    ['https://8.8.8.8:8443', 'https://8.8.8.8:8443/'],
    ['https://[2606:4700:4700::1111]/h', 'https://[2606:4700:4700::1111]/h'],
  ])('%s is accepted as %s', async (text, normalized) => {
    await expect(checkWebhookUrl(text, false)).resolves.toBe(normalized);
  });

  it.each([
    ['http://127.0.0.1:8080/hooks', 'http://127.0.0.1:8080/hooks'],
    ['http://localhost:8080/hooks', 'http://localhost:8080/hooks'],
    ['https://10.1.2.3/hooks', 'https://10.1.2.3/hooks'],
    ['https://169.254.169.254/latest', 'https://169.254.169.254/latest'],
  ])('with WEBHOOK_ALLOW_PRIVATE, %s is accepted', async (text, normalized) => {
    await expect(checkWebhookUrl(text, true)).resolves.toBe(normalized);
  });
});

describe('what is not a usable URL', () => {
  it.each([42, null, undefined, {}, ['https://8.8.8.8/'], '', '   '])('%j is refused: a URL is a string', async (value) => {
    expect(await refusalOf(value)).toBe('The webhook URL must be a string, such as "https://app.example.com/hooks/roster".');
  });

  it.each(['hooks.example.com/roster', '/hooks', 'https://', 'https://exa mple.com/'])('%s is refused: not an absolute URL', async (text) => {
    expect(await refusalOf(text)).toMatch(/is not an absolute URL, such as "https:\/\/app\.example\.com\/hooks\/roster"\.$/);
  });

  it('a URL longer than 2048 characters is refused', async () => {
    const text = `https://8.8.8.8/${'a'.repeat(MAX_WEBHOOK_URL_LENGTH)}`;
    expect(await refusalOf(text)).toBe(`The webhook URL is ${text.length} characters long; at most 2048 are allowed.`);
  });

  it('a URL that normalization makes longer than 2048 characters is refused', async () => {
    const text = `https://8.8.8.8/${'é'.repeat(1_000)}`; // each é is percent-encoded as %C3%A9
    expect(await refusalOf(text)).toMatch(/^The webhook URL is 6016 characters long once normalized/);
  });

  it('plain http is refused, naming the setting that allows it', async () => {
    expect(await refusalOf('http://8.8.8.8/hooks')).toBe('The webhook URL must use https: plain http is allowed only when WEBHOOK_ALLOW_PRIVATE=true.');
  });

  it.each([[false], [true]])('another scheme is refused (allowPrivate %s)', async (allowPrivate) => {
    expect(await refusalOf('ftp://8.8.8.8/drop', allowPrivate)).toBe('The webhook URL must use https, not ftp.');
  });

  it.each(['https://user:secret@8.8.8.8/hooks', 'https://user@8.8.8.8/hooks', 'https://:pw@8.8.8.8/'])('%s is refused: no credentials in the URL', async (text) => {
    expect(await refusalOf(text, true)).toMatch(/^The webhook URL must not contain a user name or password/);
  });

  it('a host that does not resolve is refused', async () => {
    // A 64-character label is invalid in DNS: the resolver refuses it locally, without a network.
    const host = `${'a'.repeat(64)}.example`;
    expect(await refusalOf(`https://${host}/hooks`, true))
      .toBe(`The webhook URL's host ${host} could not be resolved: a webhook's host must exist when the webhook is saved.`);
  });
});

describe('a URL that reaches a non-public address (without WEBHOOK_ALLOW_PRIVATE)', () => {
  it.each([
    ['https://127.0.0.1/hooks', '127.0.0.1, a loopback address'],
    ['https://0x7f.1/hooks', '127.0.0.1, a loopback address'],
    ['https://2130706433/hooks', '127.0.0.1, a loopback address'],
    ['https://10.0.0.8/hooks', '10.0.0.8, a private address'],
    ['https://192.168.1.1/', '192.168.1.1, a private address'],
    ['https://169.254.169.254/latest/meta-data', '169.254.169.254, the cloud metadata address'],
    ['https://100.100.100.200/', '100.100.100.200, the cloud metadata address'],
    ['https://[fd00:ec2::254]/', 'fd00:ec2::254, the cloud metadata address'],
    ['https://[::1]/hooks', '::1, a loopback address'],
    ['https://[::ffff:10.0.0.1]/hooks', '::ffff:a00:1, a private address'],
    ['https://[64:ff9b::192.168.0.1]/', '64:ff9b::c0a8:1, a private address'],
    ['https://[fe80::1]/', 'fe80::1, a link-local address'],
    ['https://0.0.0.0/', '0.0.0.0, an unspecified address'],
    ['https://224.0.0.1/', '224.0.0.1, a multicast address'],
  ])('%s is refused', async (text, what) => {
    expect(await refusalOf(text)).toBe(`The webhook URL points at ${what}: ${PRIVATE_HINT}`);
  });

  it('a name that resolves to a loopback address is refused, naming the kind of address', async () => {
    expect(await refusalOf('https://localhost:8443/hooks')).toBe(`The webhook URL's host localhost resolves to a loopback address: ${PRIVATE_HINT}`);
  });
});
