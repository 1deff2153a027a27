import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger';
import type { Principal } from '../domain/tokens';

/**
 * One log line per request: method, path (without the query, which can carry personal data),
 * status, duration, request id and the token's name — never the token itself.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
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
        requestId,
        token: principal?.tokenName,
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    };
    res.once('finish', log);
    res.once('close', log);
    next();
  };
}
