import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/**
 * Webhook signatures, the scheme Stripe and others use: `t=<unix seconds>,v1=<hex HMAC-SHA256>`
 * over `"<t>.<raw body>"`, keyed with the whole secret string (prefix included) as UTF-8. The
 * time inside the signed text lets a receiver refuse an old delivery replayed later.
 */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const t = Math.floor(unixSeconds);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  return `t=${t},v1=${v1}`;
}

/** A webhook's signing secret: 256 random bits, shown once when the webhook is created. */
export const newWebhookSecret = (): string => SECRET_PREFIX + randomBytes(32).toString('base64url');
