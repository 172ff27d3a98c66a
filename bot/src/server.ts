import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import restify, { type Request, type RequestHandler, type Response, type Server } from 'restify';
import type { z } from 'zod';
import { type Caller, StoreUnavailable, raceDeadline, withinDeadline } from '../../core';
import { type ApiRoute } from './api/api-routes';
import { openApiDocument } from './api/openapi';
import type { LocalIssuer } from './auth/local-issuer';
import { HttpError, sendError } from './http/http-errors';
import { RateLimiter } from './http/rate-limiter';
import { contentSecurityPolicy, mountStaticApp, mountStaticPages } from './http/static-apps';

/** What the HTTP server is built from; the composition root provides it. */
export interface ServerDeps {
  log: Logger;
  publicUrl: string;
  routes: ApiRoute[];
  verify: (authorization: string | undefined) => Promise<Caller>;
  /** Present in local mode only: mounts /api/v1/dev/token and /api/v1/dev/jwks. */
  localIssuer?: LocalIssuer;
  /** Handles Bot Framework activities at POST /api/messages. */
  botHandler?: (req: Request, res: Response) => Promise<void>;
  /** Whether this instance should get traffic, for /readyz: not draining, and the store answers in time. */
  readiness: () => Promise<Readiness>;
  writeLimiter?: RateLimiter;
  /** Built front ends to serve, each under its own path with its own CSP. */
  staticApps?: Array<{ prefix: string; dir: string; csp: string }>;
  /** Single pages at fixed paths (privacy, terms), each path to a file. */
  staticPages?: Record<string, string>;
  /** Local mode only: the people the sign-in picker offers. */
  localPeople?: () => Promise<unknown>;
  /** Local mode: answer only requests addressed to a loopback name. */
  loopbackHostsOnly?: boolean;
  /** The one deadline of a REST request, across all its store calls and their retries. */
  restDeadlineMs?: number;
}

/** What /readyz answers: ready, or why not. */
export type Readiness = { ready: true } | { ready: false; reason: 'draining' | 'store' };

/** A REST request's deadline (issue #18): past it the caller gets a 503 saying nothing was lost. */
export const REST_DEADLINE_MS = 5000;

declare module 'restify' {
  interface Request {
    correlationId: string;
    logger: Logger;
  }
}

/** The REST API's body limit: a credit is a few hundred bytes. */
const MAX_BODY_BYTES = 16 * 1024;
/** The bot endpoint's: a message-extension invoke carries the whole message, a roster event every person added. */
const MAX_ACTIVITY_BYTES = 512 * 1024;
const BOT_PATH = '/api/messages';
const LOOPBACK_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/i;

const bodyParser = (maxBodySize: number) => restify.plugins.bodyParser({ maxBodySize, mapParams: false, rejectUnknown: false });

/** Builds the one restify server: health, the REST API, the bot endpoint and the static apps. */
export function createServer(deps: ServerDeps): Server {
  const server = restify.createServer({ name: 'noticed', handleUncaughtExceptions: false });
  const limiter = deps.writeLimiter ?? new RateLimiter(30, 20);

  server.pre((req, res, next) => {
    req.correlationId = randomUUID();
    req.logger = deps.log.child({ correlationId: req.correlationId });
    res.header('x-correlation-id', req.correlationId);
    res.header('x-content-type-options', 'nosniff');
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      req.logger.info({ method: req.method, path: req.getPath(), status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
    });
    const path = req.getPath();
    // Answers about a person (their credits, their token) must never be kept by a browser or a proxy.
    if (path.startsWith('/api/') || path === '/healthz' || path === '/readyz') res.setHeader('Cache-Control', 'no-store');
    // DNS rebinding: a web page can point its own name at 127.0.0.1 and read a local server
    // through the browser; the Host it sends is then its own name, never a loopback one.
    if (deps.loopbackHostsOnly && !LOOPBACK_HOST.test(req.header('host') ?? '')) {
      sendError(res, req.logger, req.correlationId, new HttpError(403, 'forbidden_host', 'Noticed in local mode answers only requests to localhost.'));
      return next(false);
    }
    return next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // Each route reads its body with its own limit: the REST API keeps 16 KB while the bot takes Teams-sized activities.
  const apiBody = bodyParser(MAX_BODY_BYTES);

  // restify's own refusals (unknown route, body too large, bad JSON) get the same error shape.
  server.on('restifyError', (req: Request, res: Response, err: Error & { statusCode?: number; body?: { code?: string } }, cb: () => void) => {
    const status = err.statusCode ?? 500;
    const code = status === 404 ? 'not_found' : status === 405 ? 'method_not_allowed' : status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status < 500 ? 'bad_request' : 'internal';
    const limit = req.getPath() === BOT_PATH ? MAX_ACTIVITY_BYTES : MAX_BODY_BYTES;
    const message =
      status === 404 ? 'There is nothing here.' : status === 413 ? `The request body is over ${limit / 1024} KB.` : status < 500 ? 'The request could not be read: send JSON.' : 'Something went wrong on our side.';
    if (status >= 500) req.logger?.error({ err }, 'server error');
    res.setHeader('Cache-Control', 'no-store');
    (err as unknown as { toJSON: () => unknown }).toJSON = () => ({ error: { code, message, correlationId: req.correlationId } });
    return cb();
  });

  // Alive: the process serves. No store call, so a store outage never gets a live instance restarted.
  server.get('/healthz', async (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Ready: what App Service's health check asks before sending traffic here.
  server.get('/readyz', async (req, res) => {
    let readiness: Readiness;
    try {
      readiness = await deps.readiness();
    } catch (error) {
      req.logger.error({ err: error }, 'readiness check failed');
      readiness = { ready: false, reason: 'store' };
    }
    if (readiness.ready) {
      res.json({ status: 'ready' });
      return;
    }
    if (readiness.reason === 'store') req.logger.warn('not ready: the store did not answer in time');
    res.status(503);
    res.setHeader('Retry-After', '5');
    res.json({ status: readiness.reason === 'draining' ? 'draining' : 'unavailable', correlationId: req.correlationId });
  });

  server.get('/api/v1/openapi.json', async (_req, res) => {
    res.json(openApiDocument(deps.routes, deps.publicUrl));
  });

  for (const route of deps.routes) {
    const path = `/api/v1${route.path}`;
    const serve = async (req: Request) => {
      const caller = await deps.verify(req.header('authorization'));
      // One limit for every write (credits, endorsements, settings, stand-up slides), so the words name none of them.
      if (route.write) {
        const wait = limiter.take(`${caller.tenantId}/${caller.userId}`);
        if (wait) throw new HttpError(429, 'rate_limited', 'That is more changes than we can take in a short time. Nothing was saved: try again in a moment.', undefined, { 'Retry-After': String(wait) });
      }
      const query = parse(route.query, req.query ?? {}, 'query');
      const body = route.body ? parse(route.body, req.body ?? {}, 'body') : route.documentedBody ? (req.body ?? {}) : undefined;
      return route.handle({ caller, params: req.params ?? {}, query: query as never, body: body as never, header: (n) => req.header(n) || undefined });
    };
    const handler = async (req: Request, res: Response) => {
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(new StoreUnavailable()), deps.restDeadlineMs ?? REST_DEADLINE_MS);
      try {
        // The race answers at the deadline even if a store call ignores the signal; the work left behind fails fast.
        const result = await withinDeadline(deadline.signal, () => raceDeadline(serve(req)));
        const status = result.status ?? route.status;
        for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
        res.status(status);
        if (status === 204) res.end();
        else res.json(result.body);
      } catch (error) {
        sendError(res, req.logger, req.correlationId, error);
      } finally {
        clearTimeout(timer);
      }
    };
    if (route.method === 'get') server.get(path, handler);
    else if (route.method === 'post') server.post(path, apiBody, handler);
    else if (route.method === 'put') server.put(path, apiBody, handler);
    else if (route.method === 'patch') server.patch(path, apiBody, handler);
    else server.del(path, apiBody, handler);
  }

  if (deps.localIssuer) mountLocalIssuer(server, deps.localIssuer, apiBody);
  const localPeople = deps.localPeople;
  if (localPeople) {
    server.get('/api/v1/dev/people', async (_req, res) => {
      res.json(await localPeople());
    });
  }

  for (const app of deps.staticApps ?? []) mountStaticApp(server, app.prefix, app.dir, app.csp);
  if (deps.staticPages) mountStaticPages(server, deps.staticPages, contentSecurityPolicy());
  if (deps.staticApps?.length) {
    server.get('/', (_req, res, next) => res.redirect(302, `${deps.staticApps?.[0].prefix}/`, next));
  }

  if (deps.botHandler) {
    const bot = deps.botHandler;
    server.post(BOT_PATH, bodyParser(MAX_ACTIVITY_BYTES), async (req, res) => {
      try {
        await bot(req, res);
      } catch (error) {
        if (!res.headersSent) sendError(res, req.logger, req.correlationId, error);
      }
    });
  }
  return server;
}

function parse(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return value;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.join('.');
  throw new HttpError(400, 'invalid', field ? `${field}: ${issue.message}` : `${where}: ${issue.message}`, field || where);
}

function mountLocalIssuer(server: Server, issuer: LocalIssuer, body: RequestHandler[]): void {
  server.get('/api/v1/dev/jwks', async (_req, res) => {
    res.json(issuer.jwks);
  });
  server.post('/api/v1/dev/token', body, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const field = ['tenantId', 'userId', 'name'].find((k) => typeof body[k] !== 'string' || !(body[k] as string).trim() || (body[k] as string).length > 200);
    if (field) return sendError(res, req.logger, req.correlationId, new HttpError(400, 'invalid', `${field} is required`, field));
    const token = await issuer.issue({ tenantId: body.tenantId as string, userId: body.userId as string, name: body.name as string });
    res.json({ accessToken: token, tokenType: 'Bearer', expiresIn: 3600 });
  });
}
