import { z } from 'zod';
import { type Caller, type CreditNotices, creditInputSchema, idSchema, KIND_IDS, MADE_PRIVATE, type Noticed, endorsersOf, toCreditView } from '../../../core';
import { HttpError } from '../http/http-errors';

/** What a route handler gets: the verified caller, and validated params, query and body. */
export interface RouteContext<Q = unknown, B = unknown> {
  caller: Caller;
  params: Record<string, string>;
  query: Q;
  body: B;
  header(name: string): string | undefined;
}

/** One route of the REST API; the OpenAPI document is generated from this same table. */
export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Path under /api/v1, restify style (`/boards/:boardId`). */
  path: string;
  summary: string;
  /** Writes are rate limited per user. */
  write?: boolean;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The body as documented, for a route whose body core validates: the handler gets it as sent, and core answers what is wrong with it. */
  documentedBody?: z.ZodType;
  /** Refusals particular to this route, by status, for the OpenAPI document. */
  refusals?: Record<string, string>;
  /** The status of a normal answer. */
  status: number;
  handle(ctx: RouteContext<never, never>): Promise<{ status?: number; body?: unknown; headers?: Record<string, string> }>;
}

const isoTime = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(s) && !Number.isNaN(Date.parse(s)), 'must be an ISO date or date-time')
  .transform((s) => new Date(s).toISOString());

const feedQuery = z.object({
  kind: z.enum(KIND_IDS).optional(),
  person: z.union([idSchema, z.email()]).optional(),
  giver: idSchema.optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  days: z.coerce.number().int().min(1).max(365).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(512).optional(),
});

/** A credit from the API names the client it came from; the bot's sources are the bot's alone. */
const apiCreditBody = creditInputSchema.extend({ source: z.enum(['tab', 'outlook', 'api']).optional() });

// Only the kind may change: a credit's people and words are what the giver said at the time.
const kindChangeBody = z.strictObject({ kind: z.enum(KIND_IDS, { error: `must be one of ${KIND_IDS.join(', ')}` }) }, { error: 'The body has only a kind.' });

// Up to 1,000 at once: the tab holds the whole roster of a team for its filters, picker and stand-up.
const membersQuery = z.object({ q: z.string().trim().max(100).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() });
const insightsQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });
const idempotencyKey = /^[\x21-\x7e]{1,200}$/;

/** A path id (board or credit), refused with 400 before any lookup when it is malformed. */
function idParam(ctx: RouteContext, name: 'boardId' | 'id'): string {
  const parsed = idSchema.safeParse(ctx.params[name]);
  if (!parsed.success) throw new HttpError(400, 'invalid', `${name} ${parsed.error.issues[0].message}`, name);
  return parsed.data;
}

const boardIdOf = (ctx: RouteContext) => idParam(ctx, 'boardId');
const creditIdOf = (ctx: RouteContext) => idParam(ctx, 'id');

/** The routes of /api/v1 that need a signed-in caller; `notices` tells a credit's people of it privately, after the answer. */
export function apiRoutes(noticed: Noticed, notices?: Pick<CreditNotices, 'notify'>): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/me',
      summary: 'The caller and the boards they belong to.',
      status: 200,
      async handle({ caller }) {
        const boards = await noticed.boardsOf(caller);
        return { body: { user: caller, boards: boards.map(({ board, role }) => ({ id: board.id, name: board.name, role })) } };
      },
    },
    {
      method: 'get',
      path: '/me/export',
      summary: 'Everything Noticed keeps about the caller in their tenant, as a JSON download.',
      status: 200,
      async handle({ caller }) {
        const body = await noticed.exportMyData(caller);
        return { body, headers: { 'Content-Disposition': 'attachment; filename="noticed-export.json"', 'Cache-Control': 'no-store' } };
      },
    },
    {
      method: 'delete',
      path: '/me/data',
      summary: 'Erases the caller from every board of their tenant: credits to them removed, credits from them anonymised. Idempotent.',
      write: true,
      status: 204,
      async handle({ caller }) {
        await noticed.eraseMyData(caller);
        return { status: 204 };
      },
    },
    {
      method: 'get',
      path: '/boards/:boardId',
      summary: 'A board: its name, member count and the caller’s role.',
      status: 200,
      async handle(ctx) {
        const { board, memberCount, role } = await noticed.boardDetails(ctx.caller, boardIdOf(ctx));
        return { body: { id: board.id, name: board.name, memberCount, role, settings: board.settings } };
      },
    },
    {
      method: 'get',
      path: '/boards/:boardId/members',
      summary: 'The roster, searchable by name or email prefix, for a people picker.',
      query: membersQuery,
      status: 200,
      async handle(ctx: RouteContext<z.infer<typeof membersQuery>>) {
        const members = await noticed.roster(ctx.caller, boardIdOf(ctx), { q: ctx.query.q, limit: ctx.query.limit ?? 50 });
        return { body: { items: members.map((m) => ({ userId: m.userId, name: m.name, email: m.email, role: m.role })) } };
      },
    },
    {
      method: 'get',
      path: '/boards/:boardId/recognitions',
      summary: 'Credits on the board, newest first; private ones only for their giver and recipients.',
      query: feedQuery,
      status: 200,
      async handle(ctx: RouteContext<z.infer<typeof feedQuery>>) {
        const page = await noticed.feed(ctx.caller, boardIdOf(ctx), ctx.query);
        return { body: { items: page.items.map(toCreditView), nextCursor: page.nextCursor ?? null } };
      },
    },
    {
      method: 'post',
      path: '/boards/:boardId/recognitions',
      summary: 'Gives credit. The same people and reason from the same giver within 10 minutes (a retry with its Idempotency-Key, or a resend) return the first credit with 200.',
      write: true,
      body: apiCreditBody,
      status: 201,
      async handle(ctx: RouteContext<unknown, z.infer<typeof apiCreditBody>>) {
        const boardId = boardIdOf(ctx);
        const key = ctx.header('idempotency-key');
        if (key !== undefined && !idempotencyKey.test(key)) {
          throw new HttpError(400, 'invalid', 'Idempotency-Key must be 1 to 200 printable characters.', 'Idempotency-Key');
        }
        // A retry with the key, like any resend of the same credit within 10 minutes, is answered
        // by core with the first credit; the key is checked so a malformed one is still refused.
        const { source = 'api', ...input } = ctx.body;
        const given = await noticed.giveCredit(ctx.caller, boardId, input, source);
        const { recognition, created, madePrivate } = given;
        // No card reached anyone from the tab or Outlook. A retry is told again: the notices' send records keep each to one.
        notices?.notify(given, 'nowhere');
        return { status: created ? 201 : 200, body: madePrivate ? { ...toCreditView(recognition), notice: MADE_PRIVATE } : toCreditView(recognition) };
      },
    },
    {
      method: 'post',
      path: '/boards/:boardId/recognitions/:id/endorsements',
      summary: '“I saw this too”: endorses a credit, once per person.',
      write: true,
      status: 200,
      async handle(ctx) {
        const { recognition, added } = await noticed.endorse(ctx.caller, boardIdOf(ctx), creditIdOf(ctx));
        return { body: { count: recognition.endorsements.length, added, endorsedBy: endorsersOf(recognition) } };
      },
    },
    {
      method: 'delete',
      path: '/boards/:boardId/recognitions/:id/endorsements/me',
      summary: 'Takes back your own “I saw this too”; taking back one you never gave changes nothing.',
      write: true,
      status: 200,
      async handle(ctx) {
        const { recognition, removed } = await noticed.unendorse(ctx.caller, boardIdOf(ctx), creditIdOf(ctx));
        return { body: { count: recognition.endorsements.length, removed, endorsedBy: endorsersOf(recognition) } };
      },
    },
    {
      method: 'get',
      path: '/boards/:boardId/recognitions/:id',
      summary: 'One credit, as a shared link opens it; a private credit that does not name the caller is not found, in the same words as one that never existed or was removed.',
      status: 200,
      async handle(ctx) {
        return { body: toCreditView(await noticed.credit(ctx.caller, boardIdOf(ctx), creditIdOf(ctx))) };
      },
    },
    {
      method: 'patch',
      path: '/boards/:boardId/recognitions/:id',
      summary: 'Changes the kind of your own credit (its giver only); the counts kept for it follow. The same kind again changes nothing.',
      write: true,
      body: kindChangeBody,
      refusals: { '403': 'You did not give this credit.' },
      status: 200,
      async handle(ctx: RouteContext<unknown, z.infer<typeof kindChangeBody>>) {
        const { recognition } = await noticed.changeKind(ctx.caller, boardIdOf(ctx), creditIdOf(ctx), ctx.body.kind);
        return { body: toCreditView(recognition) };
      },
    },
    {
      method: 'delete',
      path: '/boards/:boardId/recognitions/:id',
      summary: 'Removes a credit (its giver or a lead); stats follow.',
      write: true,
      status: 204,
      async handle(ctx) {
        await noticed.deleteCredit(ctx.caller, boardIdOf(ctx), creditIdOf(ctx));
        return { status: 204 };
      },
    },
    {
      method: 'get',
      path: '/boards/:boardId/insights',
      summary: 'Coverage, the unnoticed, kind mix and concentration: leads only.',
      query: insightsQuery,
      status: 200,
      async handle(ctx: RouteContext<z.infer<typeof insightsQuery>>) {
        return { body: await noticed.insights(ctx.caller, boardIdOf(ctx), ctx.query.days) };
      },
    },
  ];
}
