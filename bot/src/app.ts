import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { Server } from 'restify';
import { BoardSettingsDesk, CreditNotices, DEMO_BOARD_ID, demoPeople, HabitScheduler, Habits, Noticed, Preferences, Rosters, Standups, StatsDoctor } from '../../core';
import { openCosmosStore, openSqliteStore, seedDemoBoard, type Store } from '../../core/store';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import { apiRoutes } from './api/api-routes';
import { doctorRoutes } from './api/doctor-routes';
import { settingsRoutes } from './api/settings-routes';
import { standupRoutes } from './api/standup-routes';
import { type LocalIssuer, createLocalIssuer } from './auth/local-issuer';
import { type TokenAuthority, createTokenVerifier, entraAuthority } from './auth/token-verifier';
import { type Config, LOCAL_TENANT_ID } from './config';
import { createLogger } from './logger';
import { LOCAL_FRAME_ANCESTORS, contentSecurityPolicy } from './http/static-apps';
import { type BotAdapter, TURN_DEADLINES, type TurnDeadlines, botAuthentication, createBotAdapter } from './channel/bot-adapter';
import { botEndpoint } from './channel/bot-endpoint';
import { NoticedBot } from './channel/noticed-bot';
import { CreditNoticeSender } from './channel/credit-notice-sender';
import { ProactiveSender } from './channel/proactive-sender';
import { type DrainReport, ConnectionDrain } from './http/graceful-shutdown';
import { type Readiness, REST_DEADLINE_MS, createServer } from './server';

/** The wired application, before it listens. */
export interface App {
  server: Server;
  /** The Bot Framework adapter behind /api/messages. */
  adapter: BotAdapter;
  store: Store;
  noticed: Noticed;
  /** Boards' rosters, whose syncs run in the background after an install. */
  rosters: Rosters;
  log: Logger;
  localIssuer?: LocalIssuer;
  /** The digests, nudges and reminders: ticked by the app's timer, or by a test. */
  scheduler: HabitScheduler;
  /** The private notices about credit, posted after the request that gave it (tests await `settled()`). */
  creditNotices: CreditNotices;
  /**
   * Stops the server and the scheduler (freeing its lease), lets turns answered at their
   * deadline finish, and the credit notices they started, and a running roster sync end after
   * its page (the next install continues it), then closes the store.
   */
  close(): Promise<void>;
  /** Stops accepting and lets the requests in flight finish, up to the deadline; /readyz says draining from the start. */
  drain(deadlineMs: number): Promise<DrainReport>;
}

/** How long /readyz waits for the store: one that does not answer a point read in this is not fit for traffic. */
const READINESS_STORE_MS = 2000;

/** Seams for tests: a store or token authority other than the configured one. */
export interface AppOverrides {
  store?: Store;
  log?: Logger;
  authority?: TokenAuthority;
  /** Bot Framework authentication other than the configured one (tests: a local key server). */
  botAuthentication?: BotFrameworkAuthentication;
  /** The domain's clock (tests: a stand-up a week later). */
  now?: () => Date;
  /** Request, turn and connector deadlines other than the real ones (tests: the deadline rules held in a second instead of in Teams' seconds). */
  deadlines?: Readonly<Partial<RequestDeadlines>>;
  /** What ticks the scheduler (tests: nothing, and they call `scheduler.tick()` themselves). */
  habitTimer?: HabitTimer;
  /** How long /readyz waits for the store, other than the real 2 s (tests: a store that never answers, waited out in a moment). */
  readinessMs?: number;
}

/** Every request's one deadline: a REST request's, and a bot turn's with its connector calls. */
export interface RequestDeadlines extends TurnDeadlines {
  /** A REST request, across all its store calls and their retries. */
  restMs: number;
}

/** Runs a job every so often until stopped. */
export interface HabitTimer {
  every(ms: number, run: () => void): () => void;
}

/** How often the scheduler looks for due messages: an hour's slot is met within a minute. */
const HABIT_TICK_MS = 60_000;

/** The process's own timer; unref'd, so it never keeps a finished process alive. */
const intervalTimer: HabitTimer = {
  every(ms, run) {
    const timer = setInterval(run, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** Opens the configured store. */
export async function openStore(config: Config): Promise<Store> {
  if (config.store.kind === 'sqlite') return openSqliteStore(config.store.path);
  const { endpoint, key, databaseId, containerId } = config.store;
  // Without a key the store signs in with the managed identity (DefaultAzureCredential).
  return openCosmosStore({ endpoint, key, databaseId, containerId });
}

/** Wires store, domain, auth and HTTP from the config: the one place that does. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const store = overrides.store ?? (await openStore(config));
  const noticed = new Noticed(store, overrides.now);
  const standups = new Standups(store, noticed, overrides.now);
  const boardSettings = new BoardSettingsDesk(store, noticed, overrides.now);
  const preferences = new Preferences(store, noticed);
  const doctor = new StatsDoctor(store, noticed);

  const localIssuer = config.localMode ? await createLocalIssuer(config.auth.clientId) : undefined;
  const verify = createTokenVerifier({
    authority: overrides.authority ?? localIssuer?.authority ?? entraAuthority(),
    clientId: config.auth.clientId,
    appIdUri: config.auth.appIdUri,
    allowedTenants: config.auth.allowedTenants,
  });

  if (config.seedDemo && (await seedDemoBoard(store, LOCAL_TENANT_ID))) log.info({ boardId: DEMO_BOARD_ID }, 'seeded the demo board');

  const deadlines: RequestDeadlines = { ...TURN_DEADLINES, restMs: REST_DEADLINE_MS, ...overrides.deadlines };
  const { restMs, ...turnDeadlines } = deadlines;
  const adapter = createBotAdapter(overrides.botAuthentication ?? botAuthentication(config), log, turnDeadlines);
  const rosters = new Rosters(store, overrides.now);
  const habits = new Habits(store, noticed, overrides.now);
  const appId = config.bot?.appId ?? '';
  const proactive = new ProactiveSender(adapter, appId);
  const creditNotices = new CreditNotices(store, new CreditNoticeSender(proactive, { tabUrl: `${config.publicUrl}/tab/`, teamsAppId: config.teamsAppId }), {
    now: overrides.now ?? (() => new Date()),
    onError: (err, rec) => log.warn({ err, boardId: rec.boardId, recognitionId: rec.id }, 'a credit notice failed'),
  });
  const bot = new NoticedBot({ noticed, rosters, habits, boardSettings, preferences, log, appId, allowedTenants: config.auth.allowedTenants, creditNotices });
  const scheduler = new HabitScheduler(store, habits, proactive, {
    // Unique per process, so two instances on one machine hold the lease apart.
    holder: `${hostname()}:${process.pid}:${randomUUID()}`,
    now: overrides.now ?? (() => new Date()),
    onError: (err, board) => log.error({ err, boardId: board.id }, 'a scheduled message failed'),
  });
  const stopTimer = (overrides.habitTimer ?? intervalTimer).every(HABIT_TICK_MS, () => {
    scheduler.tick().catch((err: unknown) => log.error({ err }, 'the scheduler tick failed'));
  });
  const root = projectRoot();
  const server = createServer({
    log,
    publicUrl: config.publicUrl,
    routes: [...apiRoutes(noticed, creditNotices), ...standupRoutes(standups), ...settingsRoutes(boardSettings, preferences), ...doctorRoutes(doctor)],
    verify,
    localIssuer,
    readiness: () => readiness(),
    staticApps: [
      {
        prefix: '/tab',
        dir: join(root, 'tab', 'build'),
        // teams-js fetches its list of valid host origins from the Office CDN. Local mode binds to
        // loopback and answers only loopback Host names, so only pages this server serves can use
        // its loopback frame-ancestors; production keeps Microsoft 365's hosts alone.
        csp: contentSecurityPolicy({
          'connect-src': ['https://login.microsoftonline.com', 'https://res.cdn.office.net'],
          'frame-ancestors': config.localMode ? LOCAL_FRAME_ANCESTORS : [],
        }),
      },
      {
        prefix: '/addin',
        dir: join(root, 'addin', 'build'),
        csp: contentSecurityPolicy({
          'script-src': ['https://appsforoffice.microsoft.com'],
          'connect-src': ['https://login.microsoftonline.com', 'https://appsforoffice.microsoft.com'],
          'frame-src': ['https://login.microsoftonline.com'],
        }),
      },
    ],
    botHandler: botEndpoint(adapter, (context) => bot.run(context)),
    staticPages: {
      '/privacy': join(root, 'bot', 'public', 'privacy.html'),
      '/terms': join(root, 'bot', 'public', 'terms.html'),
      '/legal.css': join(root, 'bot', 'public', 'legal.css'),
    },
    localPeople: config.localMode ? async () => ({ tenantId: LOCAL_TENANT_ID, boardId: DEMO_BOARD_ID, people: demoPeople() }) : undefined,
    loopbackHostsOnly: config.localMode,
    restDeadlineMs: restMs,
  });

  const connections = new ConnectionDrain(server.server);
  const readiness = async (): Promise<Readiness> => {
    if (connections.draining) return { ready: false, reason: 'draining' };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), overrides.readinessMs ?? READINESS_STORE_MS)));
    const answered = await Promise.race([store.boards.get(LOCAL_TENANT_ID, DEMO_BOARD_ID).then(() => true as const), late]).finally(() => clearTimeout(timer));
    return answered ? { ready: true } : { ready: false, reason: 'store' };
  };

  return {
    server,
    adapter,
    store,
    noticed,
    rosters,
    log,
    localIssuer,
    scheduler,
    creditNotices,
    drain: (deadlineMs) => connections.drain(deadlineMs),
    close: async () => {
      stopTimer();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await scheduler.stop();
      // What a late turn still writes (a credit, its card noted) would otherwise hit a closed store.
      await adapter.drain();
      // Notices started by the last requests and turns post through the connector and write their send records.
      await creditNotices.settled();
      await rosters.stop();
      await store.close();
    },
  };
}

/** The folder holding package.json, whether running from source (tests) or from dist/. */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
