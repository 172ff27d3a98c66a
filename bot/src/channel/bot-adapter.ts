import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import { type Activity, CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { Config } from '../config';

/** The turn-state key under which the HTTP layer puts the request's correlation id. */
export const CORRELATION_ID = 'noticed.correlationId';

/**
 * Bot Framework authentication from the config. With no bot settings (local mode only, see
 * config.ts) botbuilder accepts anonymous requests; config refuses that anywhere but loopback.
 */
export function botAuthentication(config: Config, overrides: ConfigurationBotFrameworkAuthenticationOptions = {}): BotFrameworkAuthentication {
  const bot = config.bot;
  const options: ConfigurationBotFrameworkAuthenticationOptions = bot
    ? { MicrosoftAppId: bot.appId, MicrosoftAppPassword: bot.password, MicrosoftAppTenantId: bot.tenantId, MicrosoftAppType: bot.type }
    : {};
  return new ConfigurationBotFrameworkAuthentication({ ...options, ...overrides });
}

/** CloudAdapter with its activity entry point public, so the endpoint owns the HTTP answer. */
export class BotAdapter extends CloudAdapter {
  /** Authenticates the request and runs the turn; returns the invoke response, if any. */
  handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/** The adapter, with an error handler that apologises without showing the error. */
export function createBotAdapter(auth: BotFrameworkAuthentication, log: Logger): BotAdapter {
  const adapter = new BotAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const correlationId = (context.turnState.get(CORRELATION_ID) as string | undefined) ?? randomUUID();
    log.error({ err: error, correlationId, activityType: context.activity.type }, 'bot turn failed');
    try {
      // error.message may hold driver or SDK internals: the user gets an apology and an id.
      await context.sendActivity(`Sorry, something went wrong on my side. If it keeps happening, give your admin this reference: ${correlationId}`);
    } catch (sendError) {
      log.error({ err: sendError, correlationId }, 'could not send the apology');
    }
  };
  return adapter;
}
