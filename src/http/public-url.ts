import type { Express, Request } from 'express';

/**
 * PUBLIC_URL, kept in app.locals so that baseUrlOf finds it from any request without every
 * router being handed it.
 */
export const setPublicUrl = (app: Express, publicUrl: string | undefined): void => {
  app.locals.publicUrl = publicUrl;
};

/**
 * Where every URL Roster writes starts, before the base path: PUBLIC_URL when set, so that no
 * request header (Host, X-Forwarded-Host, X-Forwarded-Proto) can choose it; otherwise the
 * request's scheme and host (Express 5 reads X-Forwarded-* only when TRUST_PROXY is on).
 */
export const originOf = (req: Request): string =>
  (req.app.locals.publicUrl as string | undefined) ?? `${req.protocol}://${req.host}`;
