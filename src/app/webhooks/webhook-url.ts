import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { refusedAddressReason } from '../../domain/webhooks/address-policy';
import { invalidValue } from '../../scim/errors';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** A webhook is created in an admin request: a resolver that does not answer must not hold it for long. */
const RESOLVE_TIMEOUT_MS = 5_000;

const ALLOW_PRIVATE_HINT = 'webhooks may only reach public addresses (unless WEBHOOK_ALLOW_PRIVATE=true)';

/**
 * Checks a webhook URL when a webhook is created or its URL changed, and returns it normalized
 * (as the WHATWG URL parser writes it: `0x7f.1` becomes `127.0.0.1`, so what is checked is what
 * is stored). Refuses with 400 invalidValue what could never be delivered to, or would reach a
 * non-public address. The same check runs again at every delivery on the address connected to
 * (send-delivery.ts): a name may resolve differently later.
 */
export async function checkWebhookUrl(text: unknown, allowPrivate: boolean): Promise<string> {
  if (typeof text !== 'string' || text.trim() === '') {
    throw invalidValue('The webhook URL must be a string, such as "https://app.example.com/hooks/roster".');
  }
  if (text.length > MAX_WEBHOOK_URL_LENGTH) {
    throw invalidValue(`The webhook URL is ${text.length} characters long; at most ${MAX_WEBHOOK_URL_LENGTH} are allowed.`);
  }
  const url = parsed(text);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowPrivate)) {
    throw invalidValue(url.protocol === 'http:'
      ? 'The webhook URL must use https: plain http is allowed only when WEBHOOK_ALLOW_PRIVATE=true.'
      : `The webhook URL must use https, not ${url.protocol.slice(0, -1)}.`);
  }
  if (url.username || url.password) {
    throw invalidValue('The webhook URL must not contain a user name or password: each delivery is signed instead (Roster-Signature), which the receiver verifies.');
  }
  await checkHost(url.hostname.replace(/^\[(.*)\]$/, '$1'), allowPrivate);
  if (url.href.length > MAX_WEBHOOK_URL_LENGTH) {
    throw invalidValue(`The webhook URL is ${url.href.length} characters long once normalized; at most ${MAX_WEBHOOK_URL_LENGTH} are allowed.`);
  }
  return url.href;
}

function parsed(text: string): URL {
  try {
    return new URL(text);
  } catch {
    const shown = text.length > 100 ? `${text.slice(0, 100)}…` : text;
    throw invalidValue(`The webhook URL ${JSON.stringify(shown)} is not an absolute URL, such as "https://app.example.com/hooks/roster".`);
  }
}

async function checkHost(host: string, allowPrivate: boolean): Promise<void> {
  if (isIP(host)) {
    const reason = allowPrivate ? undefined : refusedAddressReason(host);
    if (reason) throw invalidValue(`The webhook URL points at ${host}, ${reason}: ${ALLOW_PRIVATE_HINT}.`);
    return;
  }
  const addresses = await resolved(host);
  if (allowPrivate) return;
  // Every address must be public: a client may connect to any of them. The address itself is not
  // named: a token holder should not learn how Roster's resolver sees internal names.
  const reason = addresses.map(refusedAddressReason).find((r) => r !== undefined);
  if (reason) throw invalidValue(`The webhook URL's host ${host} resolves to ${reason}: ${ALLOW_PRIVATE_HINT}.`);
}

async function resolved(host: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), RESOLVE_TIMEOUT_MS);
  });
  try {
    const addresses = await Promise.race([lookup(host, { all: true }), timeout]);
    if (addresses.length === 0) throw new Error('no address');
    return addresses.map((a) => a.address);
  } catch {
    throw invalidValue(`The webhook URL's host ${host} could not be resolved: a webhook's host must exist when the webhook is saved.`);
  } finally {
    clearTimeout(timer);
  }
}
