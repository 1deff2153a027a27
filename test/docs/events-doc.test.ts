import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { sendDelivery } from '../../src/app/webhooks/send-delivery';
import { settings } from '../../src/config/config';
import { EVENT_TYPE_NAMES } from '../../src/domain/events/event-types';
import { newWebhookSecret, signatureHeader } from '../../src/domain/webhooks/signature';
import type { ChangeEvent } from '../../src/store/events-port';

/**
 * docs/events.md is checked against the code: the signature verification it tells receivers to
 * copy is run as written, and its tables name exactly the event types and settings that exist.
 */
const DOC = readFileSync(resolve(__dirname, '../../docs/events.md'), 'utf8');

/** The first ```js block after the first heading that contains `heading`. */
function jsBlockAfter(heading: string): string {
  const at = DOC.search(new RegExp(`^#+ .*${heading}.*$`, 'm'));
  expect(at).toBeGreaterThanOrEqual(0);
  const block = /^```js\n([\s\S]*?)^```$/m.exec(DOC.slice(at));
  if (!block) throw new Error(`no js block after the heading "${heading}"`);
  return block[1];
}

type Verify = (secret: string, rawBody: string | Buffer, header: string | undefined) => boolean;
const snippet = jsBlockAfter('Verifying');
// The snippet is plain Node: it gets `require`, as a CommonJS module would.
const verify = new Function('require', `${snippet}\nreturn verifyRosterSignature;`)(require) as Verify;

const secret = newWebhookSecret();
const body = JSON.stringify({ id: 7, type: 'user.created', resource: { type: 'User', id: 'u1', userName: 'zoë' } });
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('the documented signature verification', () => {
  it('fits in 10 lines and compares in constant time', () => {
    expect(snippet.trimEnd().split('\n').length).toBeLessThanOrEqual(10);
    expect(snippet).toContain('crypto.timingSafeEqual');
  });

  it('accepts a delivery signed by Roster, given the raw body as a string or as bytes', () => {
    const header = signatureHeader(secret, body, nowSeconds());
    expect(verify(secret, body, header)).toBe(true);
    expect(verify(secret, Buffer.from(body, 'utf8'), header)).toBe(true);
  });

  it('rejects a tampered body', () => {
    const header = signatureHeader(secret, body, nowSeconds());
    expect(verify(secret, body.replace('user.created', 'user.deleted'), header)).toBe(false);
    expect(verify(secret, `${body} `, header)).toBe(false);
  });

  it('rejects a signature made with another secret', () => {
    expect(verify(secret, body, signatureHeader(newWebhookSecret(), body, nowSeconds()))).toBe(false);
  });

  it('rejects a timestamp that was changed after signing', () => {
    const header = signatureHeader(secret, body, nowSeconds() - 10);
    expect(verify(secret, body, header.replace(/^t=\d+/, `t=${nowSeconds()}`))).toBe(false);
  });

  it('accepts a timestamp up to 5 minutes old, and rejects an older one (a replay)', () => {
    expect(verify(secret, body, signatureHeader(secret, body, nowSeconds() - 240))).toBe(true);
    expect(verify(secret, body, signatureHeader(secret, body, nowSeconds() - 360))).toBe(false);
    expect(verify(secret, body, signatureHeader(secret, body, nowSeconds() - 86_400))).toBe(false);
  });

  it('rejects a timestamp far in the future', () => {
    expect(verify(secret, body, signatureHeader(secret, body, nowSeconds() + 360))).toBe(false);
  });

  it.each([undefined, '', 'garbage', `t=${Math.floor(Date.now() / 1000)}`, 'v1=abc', 't=,v1=', `t=x,v1=${'0'.repeat(64)}`])(
    'rejects a missing or malformed header (%j) without throwing',
    (header) => {
      expect(verify(secret, body, header)).toBe(false);
    },
  );

  it('verifies a real delivery, over the raw body the receiver got', async () => {
    let verified: boolean | undefined;
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        verified = verify(secret, Buffer.concat(chunks), req.headers['roster-signature'] as string | undefined);
        res.writeHead(verified ? 204 : 401).end();
      });
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    try {
      const event: ChangeEvent = {
        id: 9, type: 'group.member_added', tenant: 'acme', occurredAt: new Date().toISOString(), actor: { kind: 'system' },
        resource: { type: 'Group', id: 'g1', displayName: 'Sales — Émea' }, member: { type: 'User', id: 'u1', userName: 'zoë' },
      };
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      const attempt = await sendDelivery({ url, secret }, event, { timeoutMs: 2_000, allowPrivate: true });
      expect(verified).toBe(true);
      expect(attempt.statusCode).toBe(204);
    } finally {
      await new Promise((done) => receiver.close(done));
    }
  });
});

describe('the tables of docs/events.md', () => {
  const section = (heading: string): string => {
    const start = DOC.indexOf(`\n## ${heading}\n`);
    expect(start).toBeGreaterThanOrEqual(0);
    const end = DOC.indexOf('\n## ', start + 1);
    return DOC.slice(start, end === -1 ? undefined : end);
  };
  const firstColumn = (text: string): string[] => [...text.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);

  it('the event catalogue lists exactly the event types Roster records, in order', () => {
    expect(firstColumn(section('Event types'))).toEqual([...EVENT_TYPE_NAMES]);
  });

  it('the configuration table names the five event settings as the server reads them', () => {
    const variables: string[] = Object.values(settings).map((setting) => setting.variable);
    const documented = firstColumn(section('Configuration'));
    expect(documented).toEqual(['EVENTS_RETENTION_DAYS', 'WEBHOOK_ALLOW_PRIVATE', 'WEBHOOK_TIMEOUT', 'WEBHOOK_RETRY_WINDOW', 'WEBHOOK_DISABLE_AFTER']);
    for (const variable of documented) expect(variables).toContain(variable);
  });
});
