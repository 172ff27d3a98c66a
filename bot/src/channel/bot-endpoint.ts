import type { Activity, TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import type { Request, Response } from 'restify';
import { HttpError, sendError } from '../http/http-errors';
import { SERVED_CHANNELS, checkActivity } from './activity-schema';
import { type BotAdapter, CORRELATION_ID } from './bot-adapter';

const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * POST /api/messages. Unlike CloudAdapter.process, which sends the error's message to the
 * caller, a refused or failed request here answers with the API's error shape only.
 */
export function botEndpoint(adapter: BotAdapter, run: (context: TurnContext) => Promise<void>, channels: readonly string[] = SERVED_CHANNELS) {
  return async (req: Request, res: Response): Promise<void> => {
    // Before botbuilder or any handler runs: a field of the wrong type (a mention whose text is
    // a number) once looped the command parser forever and blocked every other request.
    const checked = checkActivity(req.body, channels);
    if (!checked.ok) {
      sendError(res, req.logger, req.correlationId, new HttpError(400, checked.code, checked.message, checked.field));
      return;
    }
    const activity = checked.activity as unknown as Activity;
    try {
      const invoke = await adapter.handle(req.header('authorization') ?? '', activity, async (context) => {
        context.turnState.set(CORRELATION_ID, req.correlationId);
        await run(context);
      });
      res.status(invoke?.status ?? 200);
      if (invoke?.body !== undefined) res.json(invoke.body);
      else res.end();
    } catch (error) {
      const name = (error as Error | undefined)?.name ?? '';
      if (error instanceof AuthenticationError || TOKEN_ERRORS.has(name)) {
        req.logger.info({ reason: (error as Error).message }, 'bot request refused');
        sendError(res, req.logger, req.correlationId, new HttpError(401, 'unauthorized', 'The request is not from the Bot Framework for this bot.'));
        return;
      }
      sendError(res, req.logger, req.correlationId, error);
    }
  };
}
