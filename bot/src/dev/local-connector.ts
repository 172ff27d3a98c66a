import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A member as the Teams roster API returns them. */
export interface TeamsMember {
  id: string;
  aadObjectId: string;
  name: string;
  email?: string;
  userPrincipalName?: string;
}

/** One request the bot made to the connector. */
export interface ConnectorCall {
  method: string;
  path: string;
  // Activities and cards are free-form JSON; readers pick the fields they need.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  authorization?: string;
  /** The status the connector answered with; absent while a stalled call is held. */
  status?: number;
}

/**
 * What to do with a call instead of serving it: answer with this error status (with a
 * Retry-After in seconds, as Teams throttles), or hold it unanswered.
 */
export type ConnectorFault = number | 'stall' | { status: number; retryAfterSeconds?: number };

/**
 * Plays the Teams connector (the service the bot replies to) on 127.0.0.1: it records every
 * activity the bot sends and answers roster calls from a roster it is given. Used by
 * `npm run chat`, `npm run bench:bot` and the bot tests.
 */
export interface TeamsConnector {
  url: string;
  calls: ConnectorCall[];
  /** Activities the bot sent (posts and replies) that reached the chat, in order. */
  sent(): ConnectorCall['body'][];
  /** Adaptive Cards the bot sent, in order. */
  cards(): ConnectorCall['body'][];
  /** Texts of plain messages the bot sent. */
  texts(): string[];
  /** Sets the roster returned for a conversation or team id. */
  roster(conversationId: string, members: TeamsMember[]): void;
  /** Roster page size, to exercise continuation tokens. */
  pageSize: number;
  /** Plays a failing Teams: for each call it returns a fault for, that fault instead of the answer. */
  fault?: (call: ConnectorCall) => ConnectorFault | undefined;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<ConnectorCall['body']> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/** Starts the local connector; `onCall` sees each request as it arrives. */
export async function startTeamsConnector(onCall?: (call: ConnectorCall) => void): Promise<TeamsConnector> {
  const calls: ConnectorCall[] = [];
  const rosters = new Map<string, TeamsMember[]>();
  let nextId = 1;
  const connector: TeamsConnector = {
    url: '',
    calls,
    pageSize: 100,
    sent: () => calls.filter((c) => c.method === 'POST' && c.status !== undefined && c.status < 400 && /\/activities(\/[^/]+)?$/.test(c.path)).map((c) => c.body),
    cards: () => connector.sent().flatMap((a) => cardsOf(a)),
    texts: () => connector.sent().filter((a) => a.text).map((a) => a.text),
    roster: (id, members) => rosters.set(id, members),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Stalled calls hold their sockets open; close() would wait for them forever.
        server.closeAllConnections();
      }),
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = decodeURIComponent(url.pathname);
    const body = await readBody(req);
    const call: ConnectorCall = { method: req.method ?? '', path, body, authorization: req.headers.authorization };
    calls.push(call);
    onCall?.(call);
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    const fault = connector.fault?.(call);
    if (fault === 'stall') return;
    if (fault !== undefined) {
      const { status, retryAfterSeconds } = typeof fault === 'number' ? { status: fault, retryAfterSeconds: undefined } : fault;
      return send(status, { error: { code: 'ServiceError', message: 'the connector failed as the test asked' } }, retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) });
    }
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/v3/conversations') return send(201, { id: `a:personal-${nextId++}`, activityId: `act-${nextId++}` });
    if (req.method === 'POST' && /^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/.test(path)) return send(200, { id: `act-${nextId++}` });
    if (req.method === 'PUT' && /^\/v3\/conversations\/[^/]+\/activities\/[^/]+$/.test(path)) return send(200, { id: path.split('/').pop() });
    if (req.method === 'GET' && (m = /^\/v3\/conversations\/([^/]+)\/pagedmembers$/.exec(path))) {
      const all = rosters.get(m[1]);
      if (!all) return send(404, { error: { code: 'ConversationNotFound', message: 'no such conversation' } });
      const start = Number(url.searchParams.get('continuationToken') ?? 0);
      const end = start + connector.pageSize;
      return send(200, { members: all.slice(start, end), continuationToken: end < all.length ? String(end) : undefined });
    }
    if (req.method === 'GET' && (m = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(path))) {
      const member = rosters.get(m[1])?.find((x) => x.id === m?.[2] || x.aadObjectId === m?.[2]);
      return member ? send(200, member) : send(404, { error: { code: 'MemberNotFound', message: 'no such member' } });
    }
    send(404, { error: { code: 'NotFound', message: `${req.method} ${path}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  connector.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return connector;
}


/** The Adaptive Cards attached to an activity. */
export function cardsOf(activity: ConnectorCall['body']): ConnectorCall['body'][] {
  return ((activity?.attachments ?? []) as Array<{ contentType: string; content: unknown }>)
    .filter((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((x) => x.content);
}
