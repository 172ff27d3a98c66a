import { type JWTPayload, SignJWT, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BOARD_SETTINGS, type Member } from '../../core';
import { type App, type AppOverrides, createApp, loadConfig } from '../../bot';
import { mountMockTeamsHost } from './mock-teams-host';

/** A tenant the tests' token authority signs for and the server allows. */
export const TENANT = '11111111-1111-4111-8111-111111111111';
/** A tenant the server also allows, to test isolation between tenants. */
export const OTHER_TENANT = '22222222-2222-4222-8222-222222222222';
/** The API's client id in tests. */
export const CLIENT_ID = 'c0ffee00-0000-4000-8000-00000000a11d';

/** A running server on 127.0.0.1 with a fresh SQLite file of its own and a key set the test controls. */
export interface TestApp {
  app: App;
  url: string;
  /** Signs a token as Entra would, for the claims given (defaults are a valid token). */
  token(claims?: Partial<JWTPayload> & { tid?: string; oid?: string; name?: string; scp?: string }, header?: { alg?: string }): Promise<string>;
  /** fetch against the server, with JSON in and out. */
  call(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  /** Puts a board and its roster straight into the store. */
  board(tenantId: string, boardId: string, people: Array<Partial<Member> & { userId: string; name: string }>): Promise<void>;
  close(): Promise<void>;
}

/** The issuer Entra v2 tokens carry. */
export const issuerFor = (tid: string) => `https://login.microsoftonline.com/${tid}/v2.0`;

// One key pair per test process: RSA key generation is slow on a small machine.
const testKeys = generateKeyPair('RS256');

/** How a test starts the server. */
export interface TestAppOptions {
  /** Keep the app's own local issuer, as `npm start` runs it (browser tests sign in through it). */
  localIssuer?: boolean;
  /** Start in local mode, as `--local` does; on unless the test gives production settings (NODE_ENV=production). */
  local?: boolean;
}

/** Starts the server as the composition root builds it, with test seams only at the token authority. */
export async function startTestApp(env: Record<string, string> = {}, overrides: AppOverrides = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const { publicKey, privateKey } = await testKeys;
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256' };
  const keySet = createLocalJWKSet({ keys: [jwk] });
  // A file, as the server runs SQLite, in a folder removed on close.
  const dir = mkdtempSync(join(tmpdir(), 'noticed-test-app-'));
  const authority = options.localIssuer ? {} : { authority: { keysFor: () => keySet, issuersFor: (tid: string) => [issuerFor(tid), `https://sts.windows.net/${tid}/`] } };
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  let app: App;
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      SQLITE_PATH: join(dir, 'noticed.db'),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      AUTH_CLIENT_ID: CLIENT_ID,
      AUTH_ALLOWED_TENANTS: `${TENANT},${OTHER_TENANT}`,
      ...env,
    }, { local: options.local ?? env.NODE_ENV !== 'production' });
    app = await createApp(config, { ...authority, ...overrides });
  } catch (error) {
    removeDir();
    throw error;
  }
  // Browser tests open the tab framed by this page, as Teams frames it.
  mountMockTeamsHost(app.server);
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  return {
    app,
    url,
    async token(claims = {}, header = {}) {
      const tid = claims.tid ?? TENANT;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ tid, oid: 'user-ana', name: 'Ana López', scp: 'access_as_user', ...claims })
        .setProtectedHeader({ alg: header.alg ?? 'RS256', kid: 'test-key' })
        .setIssuer((claims.iss as string) ?? issuerFor(tid))
        .setAudience((claims.aud as string) ?? `api://${CLIENT_ID}`)
        .setIssuedAt((claims.iat as number) ?? now)
        .setNotBefore((claims.nbf as number) ?? now)
        .setExpirationTime((claims.exp as number) ?? now + 3600)
        .sign(privateKey);
    },
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined;
      if (options.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      }
      const res = await fetch(`${url}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async board(tenantId, boardId, people) {
      const at = new Date().toISOString();
      await app.store.boards.put({ tenantId, id: boardId, name: `Board ${boardId}`, settings: DEFAULT_BOARD_SETTINGS, createdAt: at, updatedAt: at });
      for (const p of people) {
        await app.store.members.put({ tenantId, boardId, role: 'member', joinedAt: at, prefersPrivate: false, optedOut: false, email: `${p.userId}@contoso.com`, ...p });
      }
    },
    async close() {
      await app.close();
      removeDir();
    },
  };
}
