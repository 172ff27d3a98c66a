import type { Activity, TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import type { Request, Response } from 'restify';
import { HttpError, sendError } from '../http/http-errors';
import { type BotAdapter, CORRELATION_ID } from './bot-adapter';

const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * POST /api/messages. Unlike CloudAdapter.process, which sends the error's message to the
 * caller, a refused or failed request here answers with the API's error shape only.
 */
export function botEndpoint(adapter: BotAdapter, run: (context: TurnContext) => Promise<void>) {
  return async (req: Request, res: Response): Promise<void> => {
    const activity = req.body as Partial<Activity> | undefined;
    if (!activity || typeof activity !== 'object' || typeof activity.type !== 'string') {
      sendError(res, req.logger, req.correlationId, new HttpError(400, 'invalid', 'The body must be a Bot Framework activity.'));
      return;
    }
    try {
      const invoke = await adapter.handle(req.header('authorization') ?? '', activity as Activity, async (context) => {
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
