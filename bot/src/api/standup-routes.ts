import { z } from 'zod';
import { LIVE_STANDUP_MAX_SLIDE, type LivePosition, STANDUP_WINDOWS, type StandupSession, type Standups, idSchema, toCreditView } from '../../../core';
import { HttpError } from '../http/http-errors';
import type { ApiRoute, RouteContext } from './api-routes';

const holdBody = z.object({
  since: z.iso.datetime({ offset: true, message: 'since must be the ISO date-time the stand-up started, as GET …/standup gave it' }),
});

const sessionQuery = z.strictObject(
  { window: z.enum(STANDUP_WINDOWS, { error: 'window must be last (since the last stand-up), week (this week) or 7d (the last 7 days)' }).optional() },
  { error: 'The only query parameter is window.' },
);

const windowSchema = z.enum(STANDUP_WINDOWS, { error: 'window must be last (since the last stand-up), week (this week) or 7d (the last 7 days)' });

const presentBody = z.strictObject({ window: windowSchema.optional() }, { error: 'The body has only a window.' });

const moveBody = z.strictObject(
  { slide: z.number({ error: 'slide must be a whole number' }).int('slide must be a whole number').min(0, 'slide starts at 0').max(LIVE_STANDUP_MAX_SLIDE, `slide is at most ${LIVE_STANDUP_MAX_SLIDE}`) },
  { error: 'The body has only a slide.' },
);

function sessionBody(session: StandupSession) {
  return { since: session.since, lastHeldAt: session.lastHeldAt ?? null, credits: session.credits.map(toCreditView), spotlight: session.spotlight ?? null };
}

function positionBody(live: LivePosition | undefined) {
  return { live: live ?? null };
}

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
        return { body: sessionBody(session) };
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
    {
      method: 'get',
      path: '/boards/:boardId/standup/live',
      summary: 'Where the stand-up presented on a meeting’s stage is: presenter, slide and deck (`startedAt`), or `live: null` when none is. Screens on the stage poll it.',
      status: 200,
      async handle(ctx) {
        return { body: positionBody(await standups.livePosition(ctx.caller, boardIdOf(ctx))) };
      },
    },
    {
      method: 'post',
      path: '/boards/:boardId/standup/live',
      summary: 'Leads: presents the stand-up to the meeting from the chosen start; the caller becomes the presenter and its deck is pinned now.',
      write: true,
      body: presentBody,
      refusals: { '403': 'The caller does not lead this board.' },
      status: 200,
      async handle(ctx: RouteContext<unknown, z.infer<typeof presentBody>>) {
        return { body: positionBody(await standups.present(ctx.caller, boardIdOf(ctx), ctx.body.window)) };
      },
    },
    {
      method: 'put',
      path: '/boards/:boardId/standup/live',
      summary: 'The presenter moves the presented stand-up to a slide; everyone on the stage follows.',
      write: true,
      body: moveBody,
      refusals: { '403': 'The caller is not the presenter.', '404': 'No stand-up is being presented.' },
      status: 200,
      async handle(ctx: RouteContext<unknown, z.infer<typeof moveBody>>) {
        return { body: positionBody(await standups.moveLive(ctx.caller, boardIdOf(ctx), ctx.body.slide)) };
      },
    },
    {
      method: 'delete',
      path: '/boards/:boardId/standup/live',
      summary: 'The presenter ends the presented stand-up; ending one that is over changes nothing.',
      write: true,
      refusals: { '403': 'The caller is not the presenter.' },
      status: 204,
      async handle(ctx) {
        await standups.endLive(ctx.caller, boardIdOf(ctx));
        return { status: 204 };
      },
    },
    {
      method: 'get',
      path: '/boards/:boardId/standup/live/session',
      summary: 'The presented stand-up’s slides: its board-visible credits oldest first and its spotlight, the same on every screen.',
      refusals: { '404': 'No stand-up is being presented.' },
      status: 200,
      async handle(ctx) {
        return { body: sessionBody(await standups.liveSession(ctx.caller, boardIdOf(ctx))) };
      },
    },
  ];
}
