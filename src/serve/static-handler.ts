import { timingSafeEqual } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import send from 'send';

export interface StaticOptions {
  /** The folder served; nothing outside it is ever read, through `..`, encodings or symlinks. */
  root: string;
  /** Single-page app: a path that names no file gets `index.html` (for a browser's GET). */
  spa: boolean;
  /** HTTP basic auth; null: none. */
  auth: { username: string; password: string } | null;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function authorized(req: IncomingMessage, auth: NonNullable<StaticOptions['auth']>): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both compared, always: the time taken tells nothing of which was wrong.
  const user = sameSecret(decoded.slice(0, colon), auth.username);
  const pass = sameSecret(decoded.slice(colon + 1), auth.password);
  return user && pass;
}

function fail(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${text}\n`);
}

/** The request's path, decoded once; null for one that cannot be decoded or holds a NUL. */
function decodedPath(url: string): string | null {
  const pathname = url.split('?')[0]!.split('#')[0]!;
  try {
    const decoded = decodeURIComponent(pathname);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}

/**
 * Whether the file a path names, symlinks followed, is inside the root. `send` refuses `..` itself but follows a
 * symlink anywhere; a path that names nothing is left to `send` (it answers 404).
 */
async function staysInside(realRoot: string, root: string, decoded: string): Promise<boolean> {
  const target = path.join(root, path.normalize(`/${decoded}`));
  const real = await realpath(target).catch(() => null);
  return real === null || real === realRoot || real.startsWith(realRoot + path.sep);
}

/**
 * Serves the files of one folder as `pm2 serve` does, through `send` (content types, ETag and Last-Modified,
 * conditional and range requests, index.html for folders, dotfiles hidden), plus basic auth and the SPA fallback.
 */
export function staticHandler(options: StaticOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const root = path.resolve(options.root);
  const realRoot = realpath(root).catch(() => root);
  return (req, res) => {
    void (async () => {
      if (options.auth && !authorized(req, options.auth))
        return fail(res, 401, 'authentication required', { 'www-authenticate': 'Basic realm="tend serve"' });
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return fail(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
      const decoded = decodedPath(req.url ?? '/');
      if (decoded === null) return fail(res, 400, 'bad request');
      if (!(await staysInside(await realRoot, root, decoded))) return fail(res, 404, 'not found');
      const serve = (pathname: string, fallback: boolean): void => {
        send(req, pathname, { root, index: ['index.html'], dotfiles: 'ignore' })
          .on('error', (error: { status?: number }) => {
            const status = error.status ?? 500;
            if (status === 404 && fallback && (req.headers.accept ?? '').includes('text/html'))
              serve('/index.html', false);
            else fail(res, status, status === 404 ? 'not found' : status === 403 ? 'forbidden' : 'error');
          })
          .pipe(res);
      };
      serve(req.url?.split('?')[0] ?? '/', options.spa);
    })().catch(() => {
      if (!res.headersSent) fail(res, 500, 'error');
      else res.destroy();
    });
  };
}
