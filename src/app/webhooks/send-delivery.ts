import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { refusedAddressReason } from '../../domain/webhooks/address-policy';
import { signatureHeader } from '../../domain/webhooks/signature';
import type { ChangeEvent, DeliveryAttempt } from '../../store/events-port';

export interface DeliveryTarget {
  readonly url: string;
  readonly secret: string;
}

export interface DeliveryOptions {
  /** The whole attempt: connecting, sending, and the receiver's answer (WEBHOOK_TIMEOUT). */
  readonly timeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE: reach loopback, private and other non-public addresses, and plain http. */
  readonly allowPrivate: boolean;
  readonly now?: () => Date;
}

/** Of a receiver's answer only the status matters; the body is read (so the receiver can finish writing) up to this much. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * One attempt to deliver an event: an HTTP POST of the event JSON, signed. Never throws and
 * never follows a redirect; every failure (refused address, connection error, timeout, a status
 * other than 2xx) is an attempt with an `error` sentence, which names hosts but never the
 * secret nor the URL's path. An attempt succeeded exactly when it has no `error`.
 *
 * Uses node:http rather than fetch for its `lookup` hook: the address checked is the address
 * connected to, so a host that resolved to a public address when the webhook was created cannot
 * later point Roster at an internal one (DNS rebinding). No connection is reused (`agent:
 * false`): each attempt resolves and is checked afresh.
 */
export async function sendDelivery(target: DeliveryTarget, event: ChangeEvent, options: DeliveryOptions): Promise<DeliveryAttempt> {
  const startedAt = (options.now ?? (() => new Date()))();
  const started = performance.now();
  const attempt = ({ statusCode, error }: Outcome): DeliveryAttempt => ({
    at: startedAt.toISOString(),
    ...(statusCode === undefined ? {} : { statusCode }),
    durationMs: Math.round(performance.now() - started),
    ...(error === undefined ? {} : { error }),
  });
  let url: URL | undefined;
  try {
    url = deliverableUrl(target.url, options.allowPrivate);
    const body = JSON.stringify(event);
    const headers: OutgoingHttpHeaders = {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      'User-Agent': 'Roster-Webhooks/1',
      'Roster-Event-Id': String(event.id),
      'Roster-Event-Type': event.type,
      'Roster-Signature': signatureHeader(target.secret, body, Math.floor(startedAt.getTime() / 1000)),
    };
    return attempt(await post(url, body, headers, options));
  } catch (error) {
    return attempt({ error: describeFailure(error, url, options.timeoutMs) });
  }
}

interface Outcome {
  readonly statusCode?: number;
  readonly error?: string;
}

/** A failure whose message is already the sentence to record. */
class DeliveryRefused extends Error {}

class TimedOut extends Error {}

function deliverableUrl(text: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DeliveryRefused('The webhook URL is not a valid URL.');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowPrivate)) {
    throw new DeliveryRefused(`The webhook URL must use https (${url.protocol} is not allowed).`);
  }
  if (url.username || url.password) throw new DeliveryRefused('The webhook URL contains a user name or password, which Roster does not send.');
  // The resolver is not consulted for an IP literal, so the guard in `lookup` would never see it.
  const literal = bareHost(url.hostname);
  if (isIP(literal) && !allowPrivate) refuseIfNotPublic(url.hostname, literal);
  return url;
}

const bareHost = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1');

function refuseIfNotPublic(host: string, address: string): void {
  const reason = refusedAddressReason(address);
  if (reason === undefined) return;
  const at = bareHost(host) === address ? address : `${host} at ${address}`;
  throw new DeliveryRefused(`Refused to connect to ${at}: it is ${reason}, and webhooks may only reach public addresses (unless WEBHOOK_ALLOW_PRIVATE=true).`);
}

/** Resolves every address of the host and refuses them all when one is not public (unless allowed). */
const guardedLookup = (allowPrivate: boolean): LookupFunction => (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    try {
      if (!allowPrivate) for (const { address } of addresses) refuseIfNotPublic(hostname, address);
    } catch (refused) {
      return callback(refused as NodeJS.ErrnoException, '', 0);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

function post(url: URL, body: string, headers: OutgoingHttpHeaders, options: DeliveryOptions): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send({
      method: 'POST',
      hostname: bareHost(url.hostname),
      port: url.port || undefined,
      path: url.pathname + url.search,
      headers,
      agent: false,
      lookup: guardedLookup(options.allowPrivate),
    });
    // Once the status has come, the receiver has answered: a body that stalls or breaks off changes nothing.
    const settle = (error?: unknown) => {
      clearTimeout(timer);
      if (response) resolve(outcomeOf(response));
      else reject(error);
      request.destroy();
    };
    const timer = setTimeout(() => settle(new TimedOut()), options.timeoutMs);
    request.on('error', settle);
    request.on('response', (answer) => {
      response = answer;
      let read = 0;
      answer.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) settle();
      });
      answer.on('end', () => settle());
      answer.on('error', () => settle());
    });
    request.end(body);
  });
}

function outcomeOf(response: IncomingMessage): Outcome {
  const statusCode = response.statusCode ?? 0;
  if (statusCode >= 200 && statusCode < 300) return { statusCode };
  if (statusCode >= 300 && statusCode < 400) {
    const location = printable(String(response.headers.location ?? 'an unnamed location'));
    return { statusCode, error: `The receiver answered ${statusCode} with a redirect to ${location}, which was not followed: set the webhook's URL to where it should deliver.` };
  }
  return { statusCode, error: `The receiver answered with HTTP status ${statusCode}.` };
}

/** A value from the receiver, safe to record: no control characters, at most 200 characters. */
const printable = (text: string): string => {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '');
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
};

function describeFailure(error: unknown, url: URL | undefined, timeoutMs: number): string {
  if (error instanceof DeliveryRefused) return error.message;
  const host = url?.host ?? 'the receiver';
  if (error instanceof TimedOut) return `No answer from ${host} within ${timeoutMs} ms.`;
  // Node's own errors may come from another realm (instanceof Error fails there): read them by shape.
  const errors = (error as { errors?: unknown } | undefined)?.errors;
  const first = (Array.isArray(errors) && errors.length > 0 ? errors[0] : error) as Partial<NodeJS.ErrnoException> | undefined;
  if (first instanceof DeliveryRefused) return first.message;
  const code = typeof first?.code === 'string' ? first.code : '';
  const message = printable(typeof first?.message === 'string' ? first.message.replace(/\.$/, '') : String(first));
  switch (code) {
    case 'ECONNREFUSED': return `The connection to ${host} was refused.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NODATA':
      return `The host ${url?.hostname ?? ''} could not be resolved.`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `The connection to ${host} was closed before an answer came.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
      return `Could not reach ${host} (${code}).`;
    case 'EPROTO': return `The TLS connection to ${host} failed: the receiver does not speak TLS there, or no version Roster accepts.`;
  }
  if (/^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO)/.test(code)) return `The TLS connection to ${host} failed: ${message}.`;
  return `The request to ${host} failed: ${message}${code ? ` (${code})` : ''}.`;
}
