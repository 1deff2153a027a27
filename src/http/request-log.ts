import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger';
import type { Principal } from '../app/context';
import type { RateLimit } from './rate-limited';

/**
 * One log line per request: method, path (without the query, which can carry personal data),
 * status, duration, client address (req.ip: the proxy's X-Forwarded-For only with TRUST_PROXY),
 * request id, the tenant the URL names, the token's name — never the token itself — and the
 * rate limit that refused it.
 * X-Request-Id is the client's when it is a sane one (word characters, dots and dashes, at most
 * 100), a new UUID otherwise, and is returned on every response.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // Read now: once the socket is gone (a client that went away), req.ip is undefined.
    const clientAddress = req.ip;
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.set('X-Request-Id', requestId);
    // 'finish' when the response was sent; 'close' alone when the client went away first, which
    // must leave a line too (a timed-out IdP request is the one most worth finding). Its status
    // is then nginx's 499 "client closed request" unless a status had already been sent.
    let logged = false;
    const log = () => {
      if (logged) return;
      logged = true;
      const principal = res.locals.principal as Principal | undefined;
      logger.info('request', {
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.writableFinished || res.headersSent ? res.statusCode : 499,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        clientAddress,
        requestId,
        tenant: res.locals.tenantId as string | undefined,
        token: principal?.tokenName,
        rateLimit: res.locals.rateLimit as RateLimit | undefined,
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    };
    res.once('finish', log);
    res.once('close', log);
    next();
  };
}
