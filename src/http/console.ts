import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { Router, type Response } from 'express';

/** Where `npm run build` puts the console (vite: console/ → dist/console), from src/http or dist/http alike. */
export const CONSOLE_BUILD = resolve(__dirname, '..', '..', 'dist', 'console');

/**
 * The page may load only what the server itself serves and talk only to it: no CDN, no fonts
 * or images from elsewhere, no inline script, no framing (clickjacking), no referrer.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

const secure = (res: Response) => res.set(SECURITY_HEADERS);

/**
 * The admin console at CONSOLE_PATH: static files only. It holds no privilege of its own: the
 * page calls the same admin and SCIM APIs a script would, with the token the admin pastes.
 * Hashed assets are cached for a year; the page itself is revalidated, so a new build shows at once.
 */
export function consoleRouter(directory: string = CONSOLE_BUILD): Router {
  const router = Router({ strict: true });
  router.use((_req, res, next) => {
    secure(res);
    next();
  });
  // Relative asset URLs (./assets/…) need the trailing slash.
  router.get('/', (req, res, next) => {
    if (!req.originalUrl.split('?')[0].endsWith('/')) return res.redirect(301, `${req.originalUrl.split('?')[0]}/`);
    if (!existsSync(join(directory, 'index.html'))) {
      return res.status(503).type('text/plain').send('The console is not built. Run `npm run build` (npm start does it), then reload.');
    }
    next();
  });
  router.use('/assets', express.static(join(directory, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
  router.use(express.static(directory, { index: 'index.html', setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));
  return router;
}
