import type { Server as HttpServer, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/** App Service's default grace between SIGTERM and SIGKILL. */
export const SHUTDOWN_GRACE_MS = 10_000;
/**
 * How long a socket that is idle when the drain starts stays open. Closing an idle kept-alive
 * socket races a client that is just sending on it (its request would be reset, unread); a
 * client that keeps it busy sends within this, is answered with `Connection: close`, and the
 * socket then closes cleanly after the answer.
 */
export const IDLE_SOCKET_LINGER_MS = 1000;
/** Kept back from the grace for closing the app (scheduler, lease, store) after the sockets. */
const CLOSE_RESERVE_MS = 2000;

/** Left of the grace after flushing, so the exit is ours and not the hard timer's. */
const FLUSH_MARGIN_MS = 500;

/** Waits for `work`, but no longer than `ms`. */
async function bounded(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))))]);
  clearTimeout(timer);
}

/** What draining came to. */
export interface DrainReport {
  /** Requests still running at the deadline, whose sockets were closed under them. */
  cut: number;
}

/**
 * Knows an HTTP server's sockets and the requests on each, so a deploy can drain them: stop
 * accepting, answer every request from then on with `Connection: close`, close sockets once
 * idle, and wait for the requests in flight up to a deadline. Create it before the server listens.
 */
export class ConnectionDrain {
  private readonly sockets = new Map<Socket, Set<ServerResponse>>();
  private started = false;
  private lingerMs = IDLE_SOCKET_LINGER_MS;
  private settled?: () => void;

  constructor(private readonly server: HttpServer) {
    server.on('connection', (socket: Socket) => {
      this.sockets.set(socket, new Set());
      socket.once('close', () => {
        this.sockets.delete(socket);
        if (this.sockets.size === 0) this.settled?.();
      });
    });
    // First among the listeners, so the header is set before any handler can answer.
    server.prependListener('request', (req, res: ServerResponse) => {
      const socket = req.socket;
      const open = this.sockets.get(socket) ?? new Set<ServerResponse>();
      this.sockets.set(socket, open);
      open.add(res);
      if (this.started) res.setHeader('Connection', 'close');
      res.once('close', () => {
        open.delete(res);
        if (this.started && open.size === 0) this.closeWhenIdle(socket);
      });
    });
  }

  /** True from the start of the drain: the instance should get no new traffic. */
  get draining(): boolean {
    return this.started;
  }

  /** Stops accepting and waits for the sockets to close, cutting the last ones at `deadlineMs` from now. */
  async drain(deadlineMs: number, idleLingerMs = IDLE_SOCKET_LINGER_MS): Promise<DrainReport> {
    this.started = true;
    this.lingerMs = idleLingerMs;
    // net's close, not http's: http's also destroys idle sockets at once, racing clients mid-send.
    const stopped = new Promise<void>((resolve) => NetServer.prototype.close.call(this.server, () => resolve()));
    for (const [socket, open] of this.sockets) {
      for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close');
      if (open.size === 0) this.closeWhenIdle(socket);
    }
    let timer: NodeJS.Timeout | undefined;
    const allClosed = new Promise<boolean>((resolve) => {
      this.settled = () => resolve(true);
      if (this.sockets.size === 0) resolve(true);
      timer = setTimeout(() => resolve(false), deadlineMs);
    });
    const closedInTime = await allClosed;
    clearTimeout(timer);
    let cut = 0;
    if (!closedInTime) {
      for (const [socket, open] of this.sockets) {
        cut += open.size;
        socket.destroy();
      }
    }
    await stopped;
    return { cut };
  }

  /** An answer sent with `Connection: close` closes its socket itself; this closes the ones still idle after the linger. */
  private closeWhenIdle(socket: Socket): void {
    setTimeout(() => {
      if (!this.sockets.get(socket)?.size) socket.destroy();
    }, this.lingerMs).unref();
  }
}

/** What a shutdown needs of the app: drain its HTTP, then close the rest. */
export interface Drainable {
  drain(deadlineMs: number): Promise<DrainReport>;
  close(): Promise<void>;
}

/** How the process shuts down; tests shorten the grace and watch the exit. */
export interface ShutdownOptions {
  graceMs: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Flushes what is left to flush (telemetry) after the app has closed. */
  flush?: () => Promise<void>;
  exit?: (code: number) => void;
}

/**
 * Drains and closes the app within the grace: the HTTP requests first, up to the grace less
 * what closing needs, then the scheduler (freeing its lease) and the store. Exits 0 once
 * closed, 1 when closing failed or outlived the grace.
 */
export async function shutDown(app: Drainable, signal: string, options: ShutdownOptions): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const started = Date.now();
  options.log.info({ signal, graceMs: options.graceMs }, 'draining');
  // The last resort: whatever still hangs (a store call) must not keep the process past the grace.
  const hard = setTimeout(() => {
    options.log.error({ signal }, 'shutdown outlived the grace');
    exit(1);
  }, options.graceMs);
  hard.unref();
  try {
    const report = await app.drain(Math.max(0, options.graceMs - CLOSE_RESERVE_MS));
    if (report.cut) options.log.warn({ cut: report.cut }, 'requests still running at the deadline were cut');
    await app.close();
    // Telemetry that cannot reach its endpoint must not turn a clean close into a forced one.
    if (options.flush) await bounded(options.flush(), options.graceMs - (Date.now() - started) - FLUSH_MARGIN_MS);
    options.log.info({ ms: Date.now() - started }, 'shut down');
    clearTimeout(hard);
    exit(0);
  } catch (err) {
    options.log.error({ err }, 'shutdown failed');
    clearTimeout(hard);
    exit(1);
  }
}

/** On SIGTERM (a deploy, a scale-in) or SIGINT (Ctrl+C), shuts down once. */
export function shutDownOnSignals(app: Drainable, options: ShutdownOptions): void {
  let shuttingDown = false;
  const on = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    void shutDown(app, signal, options);
  };
  process.on('SIGTERM', on);
  process.on('SIGINT', on);
}
