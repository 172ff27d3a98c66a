import { ConfigError, LOCAL_TENANT_ID, loadConfig } from '../bot/src/config';

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

describe('loadConfig refuses to start unsafely, naming everything that is missing', () => {
  test.each<[string, Record<string, string>, RegExp]>([
    ['production with nothing set', { NODE_ENV: 'production' }, /missing settings: BOT_ID, BOT_TENANT_ID, BOT_TYPE, BOT_PASSWORD, AUTH_CLIENT_ID, AUTH_ALLOWED_TENANTS/],
    ['production without the allow-list', { ...PRODUCTION, AUTH_ALLOWED_TENANTS: '' }, /missing settings: AUTH_ALLOWED_TENANTS\./],
    ['a single-tenant bot without its secret', { ...PRODUCTION, BOT_TYPE: 'SingleTenant' }, /missing settings: BOT_PASSWORD/],
    ['Cosmos without an endpoint', { STORE: 'cosmos' }, /missing settings: COSMOS_ENDPOINT/],
    ['local mode on a network address', { HOST: '0.0.0.0' }, /HOST must be a loopback address in local mode/],
    ['half a bot configuration in local mode', { BOT_ID: 'x' }, /missing settings: BOT_TENANT_ID, BOT_TYPE, BOT_PASSWORD/],
    ['an unknown store', { STORE: 'postgres' }, /Invalid settings: STORE/],
    ['a port that is not a number', { PORT: 'eighty' }, /Invalid settings: PORT/],
  ])('%s', (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('loadConfig defaults', () => {
  test('local mode: loopback, SQLite, the local tenant, demo seed, no bot credentials', () => {
    expect(loadConfig({})).toMatchObject({
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

  test('empty values count as unset', () => {
    expect(loadConfig({ PORT: '', STORE: '' })).toMatchObject({ port: 3978, store: { kind: 'sqlite' } });
  });
});
