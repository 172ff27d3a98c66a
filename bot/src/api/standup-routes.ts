import { z } from 'zod';
import { STANDUP_WINDOWS, type Standups, idSchema, toCreditView } from '../../../core';
import { HttpError } from '../http/http-errors';
import type { ApiRoute, RouteContext } from './api-routes';

const holdBody = z.object({
  since: z.iso.datetime({ offset: true, message: 'since must be the ISO date-time the stand-up started, as GET …/standup gave it' }),
});

const sessionQuery = z.strictObject(
  { window: z.enum(STANDUP_WINDOWS, { error: 'window must be last (since the last stand-up), week (this week) or 7d (the last 7 days)' }).optional() },
  { error: 'The only query parameter is window.' },
);

/** A malformed board id is refused with 400 before any lookup. */
function boardIdOf(ctx: RouteContext): string {
  const parsed = idSchema.safeParse(ctx.params.boardId);
  if (!parsed.success) throw new HttpError(400, 'invalid', `boardId ${parsed.error.issues[0].message}`, 'boardId');
  return parsed.data;
}

/** The stand-up routes of /api/v1: the board's stand-up, the same on every screen. */
export function standupRoutes(standups: Standups): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/boards/:boardId/standup',
      summary: 'The board’s stand-up now: since when, its board-visible credits oldest first, and one quiet-contributor spotlight.',
      query: sessionQuery,
      status: 200,
      async handle(ctx: RouteContext<z.infer<typeof sessionQuery>>) {
        const session = await standups.session(ctx.caller, boardIdOf(ctx), ctx.query.window);
        return {
          body: { since: session.since, lastHeldAt: session.lastHeldAt ?? null, credits: session.credits.map(toCreditView), spotlight: session.spotlight ?? null },
        };
      },
    },
    {
      method: 'post',
      path: '/boards/:boardId/standup',
      summary: 'Marks held the stand-up that started at `since`, so the next one starts now and spotlights someone else. Ending the same one again changes nothing.',
      write: true,
      body: holdBody,
      status: 200,
      async handle(ctx: RouteContext<unknown, z.infer<typeof holdBody>>) {
        const held = await standups.hold(ctx.caller, boardIdOf(ctx), new Date(ctx.body.since).toISOString());
        return { body: { recorded: held.recorded, lastHeldAt: held.lastHeldAt ?? null } };
      },
    },
  ];
}
