import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Request, Response, Server } from 'restify';

/** The Microsoft 365 hosts allowed to frame the tab and the add-in; nobody else may (clickjacking). */
export const M365_FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://*.office365.com',
  'https://*.microsoft365.com',
  'https://outlook.live.com',
  'https://*.officeapps.live.com',
  'https://*.skype.com',
];

/**
 * Local mode only: the server's own loopback names, so a page it serves under one name (the
 * mock Teams host, as another origin like real Teams) may frame the tab served under the other.
 */
export const LOCAL_FRAME_ANCESTORS = ['http://localhost:*', 'http://127.0.0.1:*'];

/** A Content-Security-Policy for one of our pages; `extra` adds sources per directive. */
export function contentSecurityPolicy(extra: Partial<Record<'script-src' | 'connect-src' | 'frame-src' | 'img-src' | 'frame-ancestors', string[]>> = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...(extra['script-src'] ?? [])],
    // Fluent UI (Griffel) inserts its styles at run time.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', ...(extra['img-src'] ?? [])],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...(extra['connect-src'] ?? [])],
    'frame-src': ["'self'", ...(extra['frame-src'] ?? [])],
    'frame-ancestors': [...M365_FRAME_ANCESTORS, ...(extra['frame-ancestors'] ?? [])],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'object-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves a built front end from `dir` under `prefix` (e.g. `/tab`), with `index.html` for the
 * folder itself. Pages carry the CSP; files named with a content hash are cached for a year.
 */
export function mountStaticApp(server: Server, prefix: string, dir: string, csp: string): void {
  const root = resolve(dir);
  const handler = async (req: Request, res: Response) => {
    const rest = decodeURIComponent(req.getPath().slice(prefix.length)).replace(/^\/+/, '');
    const file = normalize(join(root, rest || 'index.html'));
    // Without this check ../ in the path could read any file the process can.
    const inside = file === root || file.startsWith(root + sep);
    const target = inside && existsSync(file) && statSync(file).isDirectory() ? join(file, 'index.html') : file;
    if (!inside || !existsSync(target) || !statSync(target).isFile()) {
      res.status(404);
      res.json({ error: { code: 'not_found', message: 'There is nothing here.', correlationId: req.correlationId } });
      return;
    }
    const type = TYPES[extname(target)] ?? 'application/octet-stream';
    res.header('content-type', type);
    res.header('cache-control', /[.-][A-Z0-9]{8}\.(js|css)$/.test(target) ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (type.startsWith('text/html')) {
      res.header('content-security-policy', csp);
      res.header('referrer-policy', 'strict-origin-when-cross-origin');
    }
    res.writeHead(200);
    await new Promise<void>((done, fail) => createReadStream(target).on('error', fail).on('end', done).pipe(res));
  };
  server.get(prefix, (req, res, next) => {
    if (!req.getPath().endsWith('/')) {
      res.redirect(301, `${prefix}/`, next);
      return;
    }
    next();
  });
  server.get(`${prefix}/*`, handler);
}

/** Serves single files at fixed paths (the privacy statement and terms the app manifest links to). */
export function mountStaticPages(server: Server, pages: Record<string, string>, csp: string): void {
  for (const [path, file] of Object.entries(pages)) {
    server.get(path, async (_req, res) => {
      res.header('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
      res.header('cache-control', 'no-cache');
      if (extname(file) === '.html') res.header('content-security-policy', csp);
      res.writeHead(200);
      await new Promise<void>((done, fail) => createReadStream(file).on('error', fail).on('end', done).pipe(res));
    });
  }
}
