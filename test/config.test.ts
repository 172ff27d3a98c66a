import { ConfigError, loadConfig, LOCAL_TENANT_ID, type StartOptions } from '../bot';

const PRODUCTION = {
  NODE_ENV: 'production',
  BOT_ID: 'b0770000-0000-4000-8000-000000000001',
  BOT_TENANT_ID: '11111111-1111-4111-8111-111111111111',
  BOT_TYPE: 'UserAssignedMSI',
  AUTH_CLIENT_ID: 'c11e0000-0000-4000-8000-000000000001',
  AUTH_ALLOWED_TENANTS: '11111111-1111-4111-8111-111111111111',
  STORE: 'cosmos',
  COSMOS_ENDPOINT: 'https://noticed.documents.azure.com:443/',
};

const LOCAL = { local: true };

describe('loadConfig refuses to start unsafely, naming everything that is missing', () => {
  test.each<[string, Record<string, string>, StartOptions, RegExp]>([
    ['the plain entry point with no settings', {}, {}, /^Noticed cannot start: missing settings: BOT_ID, BOT_TENANT_ID, BOT_TYPE, BOT_PASSWORD, AUTH_CLIENT_ID, AUTH_ALLOWED_TENANTS\. To run on this machine for development, start it with --local/],
    ['development settings without --local', { NODE_ENV: 'development', SQLITE_PATH: './data/dev.db' }, {}, /missing settings: BOT_ID, .*AUTH_ALLOWED_TENANTS\. .*--local/],
    ['production with nothing set', { NODE_ENV: 'production' }, {}, /missing settings: BOT_ID, BOT_TENANT_ID, BOT_TYPE, BOT_PASSWORD, AUTH_CLIENT_ID, AUTH_ALLOWED_TENANTS/],
    ['production without the allow-list', { ...PRODUCTION, AUTH_ALLOWED_TENANTS: '' }, {}, /missing settings: AUTH_ALLOWED_TENANTS\./],
    ['a single-tenant bot without its secret', { ...PRODUCTION, BOT_TYPE: 'SingleTenant' }, {}, /missing settings: BOT_PASSWORD/],
    ['--local in production', PRODUCTION, LOCAL, /--local cannot be used with NODE_ENV=production/],
    ['an allowed tenant that is not a tenant id', { ...PRODUCTION, AUTH_ALLOWED_TENANTS: `${PRODUCTION.AUTH_ALLOWED_TENANTS}, contoso.onmicrosoft.com` }, {}, /AUTH_ALLOWED_TENANTS must list Entra tenant ids \(GUIDs\); not one: contoso\.onmicrosoft\.com\.$/],
    ['allowed tenants that are not tenant ids, in local mode too', { AUTH_ALLOWED_TENANTS: 'tenant-1,11111111-1111-4111-8111-11111111111' }, LOCAL, /not one: tenant-1, 11111111-1111-4111-8111-11111111111\.$/],
    ['Cosmos without an endpoint', { STORE: 'cosmos' }, LOCAL, /missing settings: COSMOS_ENDPOINT/],
    ['local mode on a network address', { HOST: '0.0.0.0' }, LOCAL, /HOST must be a loopback address in local mode/],
    ['half a bot configuration in local mode', { BOT_ID: 'x' }, LOCAL, /missing settings: BOT_TENANT_ID, BOT_TYPE, BOT_PASSWORD/],
    ['an unknown store', { STORE: 'postgres' }, LOCAL, /Invalid settings: STORE/],
    ['a port that is not a number', { PORT: 'eighty' }, LOCAL, /Invalid settings: PORT/],
    ['a Teams app id that is not a GUID', { TEAMS_APP_ID: 'noticed' }, LOCAL, /Invalid settings: TEAMS_APP_ID must be the Teams app id/],
  ])('%s', (_name, env, options, message) => {
    expect(() => loadConfig(env, options)).toThrow(ConfigError);
    expect(() => loadConfig(env, options)).toThrow(message);
  });
});

describe('loadConfig defaults', () => {
  test('local mode, only with --local: loopback, SQLite, the local tenant, demo seed, no bot credentials', () => {
    expect(loadConfig({}, LOCAL)).toMatchObject({
      production: false,
      localMode: true,
      host: '127.0.0.1',
      port: 3978,
      store: { kind: 'sqlite', path: './data/noticed.db' },
      auth: { clientId: 'noticed-local', allowedTenants: [LOCAL_TENANT_ID] },
      bot: undefined,
      seedDemo: true,
      publicUrl: 'http://localhost:3978',
    });
  });

  test('production: every interface, Cosmos with the managed identity, no demo seed, no local issuer', () => {
    expect(loadConfig(PRODUCTION)).toMatchObject({
      production: true,
      localMode: false,
      host: '0.0.0.0',
      store: { kind: 'cosmos', endpoint: PRODUCTION.COSMOS_ENDPOINT, key: undefined, databaseId: 'noticed', containerId: 'noticed' },
      bot: { appId: PRODUCTION.BOT_ID, type: 'UserAssignedMSI', tenantId: PRODUCTION.BOT_TENANT_ID },
      auth: { clientId: PRODUCTION.AUTH_CLIENT_ID, allowedTenants: [PRODUCTION.AUTH_ALLOWED_TENANTS] },
      seedDemo: false,
    });
  });

  test('the production settings without NODE_ENV are not local mode either', () => {
    const { NODE_ENV: _unset, ...settings } = PRODUCTION;
    expect(loadConfig(settings)).toMatchObject({ localMode: false, host: '0.0.0.0', seedDemo: false });
  });

  test('allowed tenants are compared in lower case', () => {
    expect(loadConfig({ ...PRODUCTION, AUTH_ALLOWED_TENANTS: ' 11111111-1111-4111-8111-11111111AAAA ,22222222-2222-4222-8222-222222222222' }).auth.allowedTenants).toEqual([
      '11111111-1111-4111-8111-11111111aaaa',
      '22222222-2222-4222-8222-222222222222',
    ]);
  });

  test('empty values count as unset', () => {
    expect(loadConfig({ PORT: '', STORE: '' }, LOCAL)).toMatchObject({ port: 3978, store: { kind: 'sqlite' } });
    expect(loadConfig({ TEAMS_APP_ID: '' }, LOCAL).teamsAppId).toBeUndefined();
  });
});
