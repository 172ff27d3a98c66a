import { type JWTPayload, SignJWT, exportJWK, generateKeyPair } from 'jose';
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
  body: any;
  authorization?: string;
}

/**
 * Plays the Teams connector (the service the bot replies to) on 127.0.0.1: it records every
 * activity the bot sends and answers roster calls from a roster the test sets.
 */
export interface TeamsConnector {
  url: string;
  calls: ConnectorCall[];
  /** Activities the bot sent (posts and replies), in order. */
  sent(): any[];
  /** Adaptive Cards the bot sent, in order. */
  cards(): any[];
  /** Texts of plain messages the bot sent. */
  texts(): string[];
  /** Sets the roster returned for a conversation or team id. */
  roster(conversationId: string, members: TeamsMember[]): void;
  /** Roster page size, to exercise continuation tokens. */
  pageSize: number;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/** Starts the local connector. */
export async function startTeamsConnector(): Promise<TeamsConnector> {
  const calls: ConnectorCall[] = [];
  const rosters = new Map<string, TeamsMember[]>();
  let nextId = 1;
  const connector: TeamsConnector = {
    url: '',
    calls,
    pageSize: 100,
    sent: () => calls.filter((c) => c.method === 'POST' && /\/activities(\/[^/]+)?$/.test(c.path)).map((c) => c.body),
    cards: () => connector.sent().flatMap((a) => (a.attachments ?? []).filter((x: any) => x.contentType === 'application/vnd.microsoft.card.adaptive').map((x: any) => x.content)),
    texts: () => connector.sent().filter((a) => a.text).map((a) => a.text),
    roster: (id, members) => rosters.set(id, members),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = decodeURIComponent(url.pathname);
    const body = await readBody(req);
    calls.push({ method: req.method ?? '', path, body, authorization: req.headers.authorization });
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
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

/**
 * Plays the Bot Framework token service for inbound requests: an OpenID metadata document
 * and key set on 127.0.0.1, and tokens signed as the Bot Connector signs them.
 */
export interface BotTokenServer {
  openIdUrl: string;
  issuer: string;
  token(claims: { aud: string; serviceurl: string } & Partial<JWTPayload>, options?: { foreignKey?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/** Starts the local Bot Framework key server. */
export async function startBotTokenServer(): Promise<BotTokenServer> {
  const issuer = 'https://api.botframework.com';
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const foreign = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bf-test-key', use: 'sig', endorsements: ['msteams'] };
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url === '/openid') res.end(JSON.stringify({ issuer, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    else res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    openIdUrl: `${base}/openid`,
    issuer,
    token: ({ aud, serviceurl, ...rest }, options = {}) =>
      new SignJWT({ serviceurl, ...rest })
        .setProtectedHeader({ alg: 'RS256', kid: 'bf-test-key', typ: 'JWT' })
        .setIssuer((rest.iss as string) ?? issuer)
        .setAudience(aud)
        .setIssuedAt((rest.iat as number) ?? Math.floor(Date.now() / 1000))
        .setNotBefore((rest.nbf as number) ?? Math.floor(Date.now() / 1000))
        .setExpirationTime((rest.exp as number) ?? Math.floor(Date.now() / 1000) + 3600)
        .sign(options.foreignKey ? foreign.privateKey : privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
