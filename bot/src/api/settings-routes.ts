import { z } from 'zod';
import { type BoardSettingsDesk, type Preferences, boardSettingsChangeSchema, idSchema, preferencesChangeSchema } from '../../../core';
import { HttpError } from '../http/http-errors';
import type { ApiRoute, RouteContext } from './api-routes';

/** A path id, refused with 400 before any lookup when it is malformed. */
function idParam(ctx: RouteContext, name: 'boardId' | 'userId'): string {
  const parsed = idSchema.safeParse(ctx.params[name]);
  if (!parsed.success) throw new HttpError(400, 'invalid', `${name} ${parsed.error.issues[0].message}`, name);
  return parsed.data;
}

const preferencesQuery = z.strictObject({ boardId: idSchema.optional() }, { error: 'The only query parameter is boardId.' });

/** The routes of /api/v1 for board settings and leads (leads only) and everyone's own preferences. */
export function settingsRoutes(desk: BoardSettingsDesk, preferences: Preferences): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/boards/:boardId/settings',
      summary: 'The board’s settings: digest on/off, day, hour, time zone, week start and nudge window. Leads only.',
      status: 200,
      async handle(ctx) {
        return { body: (await desk.settings(ctx.caller, idParam(ctx, 'boardId'))).settings };
      },
    },
    {
      method: 'patch',
      path: '/boards/:boardId/settings',
      summary: 'Changes some of the board’s settings and answers all of them. Leads only; unknown fields, wrong types and unknown time zones are refused and change nothing.',
      write: true,
      documentedBody: boardSettingsChangeSchema,
      status: 200,
      async handle(ctx: RouteContext<unknown, unknown>) {
        return { body: await desk.change(ctx.caller, idParam(ctx, 'boardId'), ctx.body) };
      },
    },
    {
      method: 'get',
      path: '/boards/:boardId/leads',
      summary: 'Who leads the board. Leads only.',
      status: 200,
      async handle(ctx) {
        return { body: { leads: await desk.leads(ctx.caller, idParam(ctx, 'boardId')) } };
      },
    },
    {
      method: 'put',
      path: '/boards/:boardId/leads/:userId',
      summary: 'Makes someone on the roster a lead of the board; answers the leads after. Leads only; granting twice changes nothing.',
      write: true,
      status: 200,
      async handle(ctx) {
        return { body: { leads: await desk.grantLead(ctx.caller, idParam(ctx, 'boardId'), idParam(ctx, 'userId')) } };
      },
    },
    {
      method: 'delete',
      path: '/boards/:boardId/leads/:userId',
      summary: 'Takes lead rights from a lead (a lead may step down); answers the leads after. The last lead cannot be removed. Leads only.',
      write: true,
      refusals: { '409': 'The board’s last lead' },
      status: 200,
      async handle(ctx) {
        return { body: { leads: await desk.removeLead(ctx.caller, idParam(ctx, 'boardId'), idParam(ctx, 'userId')) } };
      },
    },
    {
      method: 'get',
      path: '/me/preferences',
      summary: 'The caller’s preferences on one board (boardId) or on every board they are on: prefer private credit, opted out, reminder weekday, credit notifications.',
      query: preferencesQuery,
      status: 200,
      async handle(ctx: RouteContext<z.infer<typeof preferencesQuery>>) {
        return { body: { boards: await preferences.get(ctx.caller, ctx.query.boardId) } };
      },
    },
    {
      method: 'patch',
      path: '/me/preferences',
      summary: 'Changes the caller’s own preferences on one board (boardId) or on every board they are on, and answers them. Opting out and back in is the caller’s alone.',
      write: true,
      query: preferencesQuery,
      documentedBody: preferencesChangeSchema,
      status: 200,
      async handle(ctx: RouteContext<z.infer<typeof preferencesQuery>, unknown>) {
        return { body: { boards: await preferences.change(ctx.caller, ctx.body, ctx.query.boardId) } };
      },
    },
  ];
}
