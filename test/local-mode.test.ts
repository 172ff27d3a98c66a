import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LOCAL_TENANT_ID } from '../bot';
import { personalMessage } from '../bot/dev';
import { PEOPLE, whereFor } from './fixtures/teams-activities';
import { bundleForNode } from './support/node-bundle';
import { TENANT, type TestApp, startTestApp } from './support/test-app';

/** A raw request, so the test chooses the Host header (fetch sets it from the URL). */
function send(url: string, options: { method?: string; path: string; host?: string; body?: unknown; token?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  const target = new URL(options.path, url);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: options.method ?? 'GET',
        headers: {
          ...(options.host !== undefined ? { host: options.host } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text.startsWith('{') ? JSON.parse(text) : text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('local mode answers only requests addressed to a loopback name', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTH_ALLOWED_TENANTS: LOCAL_TENANT_ID }, {}, { localIssuer: true, local: true });
  });
  afterAll(() => t.close());

  const issue = (host: string) => send(t.url, { method: 'POST', path: '/api/v1/dev/token', host, body: { tenantId: LOCAL_TENANT_ID, userId: 'u1', name: 'Uma' } });

  test.each(['localhost', 'localhost:3978', 'LOCALHOST:3978', '127.0.0.1', '127.0.0.1:3978', '[::1]', '[::1]:3978'])('Host %s is served', async (host) => {
    const res = await issue(host);
    expect(res.status).toBe(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
  });

  test.each(['evil.example', 'evil.example:3978', 'localhost.evil.example', '127.0.0.1.nip.io:3978', 'localhost:3978@evil.example', '10.0.0.7:3978'])(
    'Host %j is refused with 403, before any route runs',
    async (host) => {
      const token = await issue(host);
      expect(token.status).toBe(403);
      expect(token.body.error).toMatchObject({ code: 'forbidden_host', message: 'Noticed in local mode answers only requests to localhost.' });
      expect(token.body.accessToken).toBeUndefined();
      const where = whereFor(LOCAL_TENANT_ID, 'http://127.0.0.1:9');
      expect((await send(t.url, { method: 'POST', path: '/api/messages', host, body: personalMessage(where, PEOPLE.ana, 'help') })).status).toBe(403);
      const page = await send(t.url, { path: '/api/v1/dev/people', host });
      expect([page.status, JSON.stringify(page.body)]).toEqual([403, expect.not.stringContaining('people')]);
    },
  );

  test('outside local mode the Host is the proxy’s business', async () => {
    const prod = await startTestApp({ NODE_ENV: 'production', HOST: '127.0.0.1', BOT_ID: 'b', BOT_PASSWORD: 'p', BOT_TENANT_ID: TENANT, BOT_TYPE: 'SingleTenant' });
    try {
      expect((await send(prod.url, { path: '/healthz', host: 'noticed.azurewebsites.net' })).status).toBe(200);
    } finally {
      await prod.close();
    }
  });
});

// The mock Teams host frames the tab from the server's other loopback name (another origin, so
// another process, as real Teams is); production's tab may be framed by Microsoft 365 alone.
describe('who may frame the tab', () => {
  const PROD = { NODE_ENV: 'production', HOST: '127.0.0.1', BOT_ID: 'b', BOT_PASSWORD: 'p', BOT_TENANT_ID: TENANT, BOT_TYPE: 'SingleTenant' };
  test.each([
    { mode: 'local mode', env: {}, loopback: true },
    { mode: 'production', env: PROD, loopback: false },
  ])('in $mode, loopback pages may frame the tab: $loopback', async ({ env, loopback }) => {
    if (!existsSync(join(__dirname, '..', 'tab', 'build', 'index.html'))) throw new Error('Build the tab first: node tab/build.mjs');
    const app = await startTestApp(env);
    try {
      const page = await send(app.url, { path: '/tab/', host: 'localhost' });
      expect(page.status).toBe(200);
      const ancestors = String(page.headers['content-security-policy']).split('; ').find((d) => d.startsWith('frame-ancestors ')) ?? '';
      expect(ancestors).toContain("'self' https://teams.microsoft.com");
      expect([ancestors.includes('http://localhost:*'), ancestors.includes('http://127.0.0.1:*'), ancestors.includes('http:')]).toEqual([loopback, loopback, loopback]);
    } finally {
      await app.close();
    }
  });
});

describe('every API answer says Cache-Control: no-store', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({}, {}, { localIssuer: true });
    await t.board(TENANT, 'team-1', [{ userId: 'user-ana', name: 'Ana López' }]);
    token = (await t.call('POST', '/api/v1/dev/token', { body: { tenantId: TENANT, userId: 'user-ana', name: 'Ana López' } })).body.accessToken;
  });
  afterAll(() => t.close());

  const cases: Array<[string, string, string, unknown, boolean, number]> = [
    ['the caller', 'GET', '/api/v1/me', undefined, true, 200],
    ['a board feed', 'GET', '/api/v1/boards/team-1/recognitions', undefined, true, 200],
    ['a credit given', 'POST', '/api/v1/boards/team-1/recognitions', { recipients: [{ email: 'helper@fabrikam.com', name: 'Helper' }], message: 'Set up the demo' }, true, 201],
    ['a refused credit', 'POST', '/api/v1/boards/team-1/recognitions', { recipients: [], message: '' }, true, 400],
    ['no token', 'GET', '/api/v1/me', undefined, false, 401],
    ['a board that is not there', 'GET', '/api/v1/boards/team-2', undefined, true, 404],
    ['a route that is not there', 'GET', '/api/v1/nothing-here', undefined, true, 404],
    ['a body that is not JSON', 'POST', '/api/v1/boards/team-1/recognitions', '{"recipients":', true, 400],
    ['the local token', 'POST', '/api/v1/dev/token', { tenantId: TENANT, userId: 'user-ana', name: 'Ana López' }, false, 200],
    ['the local key set', 'GET', '/api/v1/dev/jwks', undefined, false, 200],
    ['the API description', 'GET', '/api/v1/openapi.json', undefined, false, 200],
    ['an activity refused', 'POST', '/api/messages', { type: 'message', text: 7 }, false, 400],
    ['health', 'GET', '/healthz', undefined, false, 200],
  ];
  test.each(cases)('%s: %s %s', async (_name, method, path, body, signedIn, status) => {
    const res = await t.call(method, path, { body, token: signedIn ? token : undefined });
    expect(res.status).toBe(status);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the server entry point', () => {
  const entry = bundleForNode('bot/src/index.ts');
  // Only what a fresh shell has: none of Noticed's settings.
  const bare = { PATH: process.env.PATH ?? '', ...entry.env };

  const run = (args: string[], env: Record<string, string>) => {
    const child = spawn(process.execPath, ['--disable-warning=DEP0111', entry.file, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { child, exited, stderr: () => stderr };
  };

  test.each<[string, string[], RegExp]>([
    ['without settings or --local', [], /^Noticed cannot start: missing settings: BOT_ID, BOT_TENANT_ID, BOT_TYPE, BOT_PASSWORD, AUTH_CLIENT_ID, AUTH_ALLOWED_TENANTS\. To run on this machine for development, start it with --local \(npm start does\)\.\n$/],
    ['with an option it does not know', ['--lcoal'], /^Noticed cannot start: Unknown option '--lcoal'.*The only option is --local\.\n$/],
  ])('refuses to start %s, with one message', async (_name, args, message) => {
    const started = run(args, bare);
    expect(await started.exited).toBe(1);
    expect(started.stderr()).toMatch(message);
  });

  test('starts in local mode with --local, on loopback, and says so', async () => {
    const started = run(['--local'], { ...bare, PORT: '0', SQLITE_PATH: ':memory:', LOG_LEVEL: 'silent' });
    try {
      const lines = createInterface({ input: started.child.stdout! });
      const said = await new Promise<string>((resolve) => lines.on('line', (line) => line.includes('local mode') && resolve(line)));
      expect(said).toMatch(/Noticed is running in local mode on SQLite at :memory:/);
    } finally {
      started.child.kill('SIGTERM');
      await started.exited;
    }
  });
});
