// The server's public face for other folders (tests, the infra checks): build the app from a
// config. The process entry point is bot/src/index.ts; this file starts nothing.
export { type App, type AppOverrides, type HabitTimer, type RequestDeadlines, createApp, openStore } from './src/app';
export { type Config, type StartOptions, ConfigError, LOCAL_CLIENT_ID, LOCAL_TENANT_ID, loadConfig } from './src/config';
export { type ApiRoute, type RouteContext, apiRoutes } from './src/api/api-routes';
export { type TurnDeadlines, TURN_DEADLINES } from './src/channel/bot-adapter';
// The endpoint that answers Teams, for the bot benchmark's bare echo bot on the same adapter.
export { botEndpoint } from './src/channel/bot-endpoint';
