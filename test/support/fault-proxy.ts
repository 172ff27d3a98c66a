import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpsRequest, createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, join } from 'node:path';

/** What the proxy does to one request instead of passing it on. */
export type Fault =
  /** Throttled, with the wait Cosmos DB asks for. */
  | { kind: '429'; retryAfterMs: number }
  /** The service is unavailable. */
  | { kind: '503' }
  /** The connection is dropped before any answer. */
  | { kind: 'drop' }
  /** The request is held this long, then passed on. */
  | { kind: 'stall'; ms: number };

/** One request as the rule sees it: its number (from 1), method, path and headers. */
export interface ProxiedRequest {
  n: number;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** A transactional batch: Cosmos marks it with x-ms-cosmos-is-batch-request. */
  batch: boolean;
}

/** Decides, per request, whether to inject a fault. */
export type FaultRule = (request: ProxiedRequest) => Fault | undefined;

/** An HTTPS proxy in front of the local Cosmos-protocol server. */
export interface FaultProxy {
  endpoint: string;
  /** The rule faults are injected by; none passes everything on. */
  rule: FaultRule | undefined;
  /** Faults injected so far, by kind. */
  injected: Record<Fault['kind'], number>;
  close(): Promise<void>;
}

/** A seeded random in [0, 1) (mulberry32), so a faulted run is the same run every time. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A rule injecting each kind of fault, in turn, on a share of requests chosen by a seeded random. */
export function shareOfRequests(share: number, seed: number, stallMs: number): FaultRule {
  const random = seededRandom(seed);
  const faults: Fault[] = [{ kind: '429', retryAfterMs: 100 }, { kind: '503' }, { kind: 'drop' }, { kind: 'stall', ms: stallMs }];
  let next = 0;
  return () => (random() < share ? faults[next++ % faults.length] : undefined);
}

// The Cosmos-protocol server's own certificate; the SDK under test accepts any certificate.
const certDir = dirname(require.resolve('@vercel/cosmosdb-server/package.json'));
const tls = { cert: readFileSync(join(certDir, 'cert.pem')), key: readFileSync(join(certDir, 'key.pem')) };

/** Starts a fault proxy on 127.0.0.1 in front of `upstream` (an https:// endpoint). */
export async function startFaultProxy(upstream: string, rule?: FaultRule): Promise<FaultProxy> {
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let n = 0;
  const proxy: FaultProxy = {
    endpoint: '',
    rule,
    injected: { '429': 0, '503': 0, drop: 0, stall: 0 },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const pass = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const forward = httpsRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, rejectUnauthorized: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    forward.end(body);
  };
  const server = createServer({ ...tls, keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const fault = proxy.rule?.({ n: ++n, method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, batch: req.headers['x-ms-cosmos-is-batch-request'] === 'true' });
      if (fault) proxy.injected[fault.kind]++;
      if (!fault) return pass(req, body, res);
      if (fault.kind === 'drop') return req.socket.destroy();
      if (fault.kind === 'stall') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) pass(req, body, res);
        }, fault.ms);
        timers.add(timer);
        return;
      }
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-ms-activity-id': `fault-${n}` };
      if (fault.kind === '429') {
        headers['x-ms-retry-after-ms'] = String(fault.retryAfterMs);
        headers['x-ms-substatus'] = '3200';
      }
      res.writeHead(fault.kind === '429' ? 429 : 503, headers);
      res.end(JSON.stringify({ code: fault.kind === '429' ? 'TooManyRequests' : 'ServiceUnavailable', message: 'injected by the fault proxy' }));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
