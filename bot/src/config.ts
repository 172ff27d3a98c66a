import { z } from 'zod';
import { isTenantId } from '../../core';
import { SHUTDOWN_GRACE_MS } from './http/graceful-shutdown';

/** Everything the server reads from its environment, validated once at start. */
export interface Config {
  production: boolean;
  /** Local mode, switched on only by `--local`: loopback only, a local token issuer, a seeded demo board. Never in production. */
  localMode: boolean;
  host: string;
  port: number;
  publicUrl: string;
  logLevel: string;
  store: { kind: 'sqlite'; path: string } | { kind: 'cosmos'; endpoint: string; key?: string; databaseId: string; containerId: string };
  bot: { appId: string; password?: string; tenantId: string; type: 'SingleTenant' | 'UserAssignedMSI' } | undefined;
  auth: { clientId: string; appIdUri?: string; allowedTenants: string[] };
  seedDemo: boolean;
  /** From SIGTERM to exit: requests in flight finish within it, then the scheduler and the store close. */
  shutdownGraceMs: number;
  /** Application Insights, when set: traces and logs go there (bot/src/telemetry.ts); absent, telemetry is off and not loaded. */
  applicationInsightsConnectionString?: string;
  /** The Teams app's id, for deep links to the board in private notices; absent, they link to the tab's web address. */
  teamsAppId?: string;
}

/** Thrown when settings are missing or wrong; the message names every one of them. */
export class ConfigError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
/** The tenant the local issuer and the demo board use. */
export const LOCAL_TENANT_ID = '00000000-0000-4000-8000-000000000001';
/** The API client id in local mode, where no Entra app registration exists. */
export const LOCAL_CLIENT_ID = 'noticed-local';

const env = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  HOST: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STORE: z.enum(['sqlite', 'cosmos']).default('sqlite'),
  SQLITE_PATH: z.string().default('./data/noticed.db'),
  COSMOS_ENDPOINT: z.url().optional(),
  COSMOS_KEY: z.string().optional(),
  COSMOS_DATABASE: z.string().default('noticed'),
  COSMOS_CONTAINER: z.string().default('noticed'),
  BOT_ID: z.string().optional(),
  BOT_PASSWORD: z.string().optional(),
  BOT_TENANT_ID: z.string().optional(),
  BOT_TYPE: z.enum(['SingleTenant', 'UserAssignedMSI']).optional(),
  AUTH_CLIENT_ID: z.string().optional(),
  AUTH_APP_ID_URI: z.string().optional(),
  AUTH_ALLOWED_TENANTS: z.string().optional(),
  SEED_DEMO: z.enum(['true', 'false']).optional(),
  // Empty when provisioning has not made the Teams app yet: then notices link to the tab's web address.
  TEAMS_APP_ID: z.preprocess((v) => (v === '' ? undefined : v), z.guid('must be the Teams app id from the manifest (a GUID)').optional()),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(1000).max(230_000).default(SHUTDOWN_GRACE_MS),
  APPLICATIONINSIGHTS_CONNECTION_STRING: z
    .string()
    .regex(/(^|;)\s*InstrumentationKey=[0-9a-f-]{36}\s*(;|$)/i, 'must be an Application Insights connection string (InstrumentationKey=…;IngestionEndpoint=…)')
    .optional(),
});

/** How the process was started: what the command line says, read by the entry point. */
export interface StartOptions {
  /** `--local`: run in local mode. Without it the server needs its production settings. */
  local?: boolean;
}

/** Reads and validates the configuration; throws one ConfigError naming everything wrong. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, options: StartOptions = {}): Config {
  const parsed = env.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new ConfigError(`Invalid settings: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const localMode = options.local === true;
  const host = e.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0');
  const missing: string[] = [];
  const problems: string[] = [];

  if (localMode && production) {
    // Local mode mints its own tokens and takes anonymous bot traffic: never where NODE_ENV says production.
    problems.push('--local cannot be used with NODE_ENV=production');
  }
  if (localMode && !LOOPBACK.has(host)) {
    // Local mode trusts its own token issuer; reachable from the network, anyone could mint a token.
    problems.push(`HOST must be a loopback address in local mode (got ${host}); run without --local, with the production settings, to serve the network`);
  }

  const hasBot = Boolean(e.BOT_ID || e.BOT_TENANT_ID || e.BOT_TYPE || e.BOT_PASSWORD);
  if (!localMode || hasBot) {
    if (!e.BOT_ID) missing.push('BOT_ID');
    if (!e.BOT_TENANT_ID) missing.push('BOT_TENANT_ID');
    if (!e.BOT_TYPE) missing.push('BOT_TYPE');
    if (e.BOT_TYPE !== 'UserAssignedMSI' && !e.BOT_PASSWORD) missing.push('BOT_PASSWORD');
  }
  if (!localMode) {
    if (!e.AUTH_CLIENT_ID) missing.push('AUTH_CLIENT_ID');
    if (!e.AUTH_ALLOWED_TENANTS) missing.push('AUTH_ALLOWED_TENANTS');
  }
  if (e.STORE === 'cosmos' && !e.COSMOS_ENDPOINT) missing.push('COSMOS_ENDPOINT');
  const allowedTenants = (e.AUTH_ALLOWED_TENANTS ?? (localMode ? LOCAL_TENANT_ID : ''))
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  // A typo here would silently lock a tenant out, or let the bot keep boards no token can ever open.
  const notTenants = allowedTenants.filter((t) => !isTenantId(t));
  if (notTenants.length) problems.push(`AUTH_ALLOWED_TENANTS must list Entra tenant ids (GUIDs); not one: ${notTenants.join(', ')}`);
  if (missing.length || problems.length) {
    const parts = [missing.length ? `missing settings: ${missing.join(', ')}` : '', ...problems].filter(Boolean);
    const hint = !localMode && missing.length ? ' To run on this machine for development, start it with --local (npm start does).' : '';
    throw new ConfigError(`Noticed cannot start: ${parts.join('; ')}.${hint}`);
  }

  const port = e.PORT;
  return {
    production,
    localMode,
    host,
    port,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    store:
      e.STORE === 'cosmos'
        ? { kind: 'cosmos', endpoint: e.COSMOS_ENDPOINT as string, key: e.COSMOS_KEY, databaseId: e.COSMOS_DATABASE, containerId: e.COSMOS_CONTAINER }
        : { kind: 'sqlite', path: e.SQLITE_PATH },
    bot: hasBot ? { appId: e.BOT_ID as string, password: e.BOT_PASSWORD, tenantId: e.BOT_TENANT_ID as string, type: e.BOT_TYPE as 'SingleTenant' | 'UserAssignedMSI' } : undefined,
    auth: {
      clientId: e.AUTH_CLIENT_ID ?? LOCAL_CLIENT_ID,
      appIdUri: e.AUTH_APP_ID_URI,
      allowedTenants: allowedTenants.map((t) => t.toLowerCase()),
    },
    seedDemo: e.SEED_DEMO ? e.SEED_DEMO === 'true' : localMode,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    applicationInsightsConnectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING,
    teamsAppId: e.TEAMS_APP_ID,
  };
}
