import type { StatsDoctor } from '../../../core';
import { idSchema } from '../../../core';
import { HttpError } from '../http/http-errors';
import type { ApiRoute, RouteContext } from './api-routes';

/** A path id, refused with 400 before any lookup when it is malformed. */
function boardIdOf(ctx: RouteContext): string {
  const parsed = idSchema.safeParse(ctx.params.boardId);
  if (!parsed.success) throw new HttpError(400, 'invalid', `boardId ${parsed.error.issues[0].message}`, 'boardId');
  return parsed.data;
}

/** The routes of /api/v1 that check a board's stats against its credits and repair them (leads only). */
export function doctorRoutes(doctor: StatsDoctor): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/boards/:boardId/doctor',
      summary: 'Whether the board’s stats and insight counts agree with its credits: how many members and hour buckets disagree. Leads only; changes nothing.',
      status: 200,
      async handle(ctx) {
        return { body: await doctor.check(ctx.caller, boardIdOf(ctx)) };
      },
    },
    {
      method: 'post',
      path: '/boards/:boardId/doctor/repair',
      summary: 'Recomputes the board’s stats and insight counts from its credits and writes what disagreed; answers what was found. Leads only; repairing twice changes nothing more.',
      write: true,
      status: 200,
      async handle(ctx) {
        return { body: await doctor.repair(ctx.caller, boardIdOf(ctx)) };
      },
    },
  ];
}
