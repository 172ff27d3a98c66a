import type { Insights } from './insights';
import type { CreditView } from './credit-view';
import type { Kind } from './kinds';
import type { Evidence, Person, Visibility } from './recognition';

/** A credit as the API returns it; a new one says in `notice` when a recipient's preference made it private. */
export type Credit = CreditView & { notice?: string };

/** A role on a board, as the API names it. */
export type ApiRole = 'lead' | 'member';

/** Someone on the board's roster. */
export interface RosterMember {
  userId: string;
  name: string;
  email?: string;
  role: ApiRole;
}

/** A board the caller is on, from GET /me. */
export interface BoardSummary {
  id: string;
  name: string;
  role: ApiRole;
}

/** The signed-in user and their boards. */
export interface Me {
  user: { tenantId: string; userId: string; name: string };
  boards: BoardSummary[];
}

/** A credit a client sends: people by user id, or by address when they are only on an email thread. */
export interface CreditDraft {
  recipients: Array<{ userId: string } | { email: string; name: string }>;
  message: string;
  kind: Kind;
  visibility?: Visibility;
  evidence?: Evidence;
}

/** An API refusal or failure, carrying the server's own sentence and correlation id. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly correlationId?: string,
  ) {
    super(message);
  }
}

/** The sentence a page shows for an error: the server's message and its correlation id. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.correlationId ? `${error.message} (Reference: ${error.correlationId})` : error.message;
  return 'Something went wrong in the page. Reload it and try again.';
}

/** Provides a bearer token; `refresh` asks for a new one after the API refused the last. */
export type TokenSource = (refresh?: boolean) => Promise<string>;

/** A token and when it expires (milliseconds since 1970): the one shape every token cache keeps. */
export interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * A token source over a sign-in that hands out JWTs: reuses the token until a minute before
 * its `exp`, and calls made while one is fetched share that fetch.
 */
export function cachedTokens(fetchToken: () => Promise<string>): TokenSource {
  let cached: CachedToken | undefined;
  let pending: Promise<string> | undefined;
  return async (refresh) => {
    if (!refresh && cached && cached.expiresAt - 60_000 > Date.now()) return cached.token;
    pending ??= fetchToken().finally(() => (pending = undefined));
    const token = await pending;
    cached = { token, expiresAt: tokenExpiry(token) };
    return token;
  };
}

/** When a JWT expires, in epoch ms (now when it cannot be read, so it is fetched again next time). */
function tokenExpiry(token: string): number {
  let exp: unknown;
  try {
    exp = (JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown }).exp;
  } catch {
    // Not a JWT this page can read: fetched again next time.
  }
  return typeof exp === 'number' ? exp * 1000 : Date.now();
}

const UNREACHABLE = 'Noticed could not be reached. Check your connection and try again.';

/**
 * The client of /api/v1 that the tab and the add-in share, signing every call with the
 * host's token. It holds the calls both make; the tab's own are on `BoardApi` below (a class
 * the add-in never names, so its bundle drops it) and, for the lazily loaded stand-up mode,
 * in `tab/src/standup-api.ts`, so each bundle carries only what it calls.
 */
export class NoticedApi {
  constructor(
    private readonly tokens: TokenSource,
    /** Which client the credits it gives come from. */
    private readonly source: 'tab' | 'outlook',
    private readonly base = '/api/v1',
  ) {}

  me(): Promise<Me> {
    return this.call('GET', '/me');
  }

  /** The roster, up to `limit` members, or those whose name or email starts with `q`. */
  async members(boardId: string, q?: string, limit = 1000): Promise<RosterMember[]> {
    const query = new URLSearchParams({ limit: String(limit), ...(q ? { q } : {}) });
    return (await this.call<{ items: RosterMember[] }>('GET', `/boards/${enc(boardId)}/members?${query}`)).items;
  }

  /**
   * Gives credit. The idempotency key belongs to one submission, so a retry after a lost
   * answer returns the same credit instead of a second one.
   */
  give(boardId: string, draft: CreditDraft, idempotencyKey: string): Promise<Credit> {
    return this.call('POST', `/boards/${enc(boardId)}/recognitions`, { ...draft, source: this.source }, { 'Idempotency-Key': idempotencyKey });
  }

  /** Calls a route of /api/v1 with the caller's token; an error answer throws an ApiError. */
  async call<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>, retried?: boolean): Promise<T> {
    const token = await this.tokens(retried);
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'unreachable', UNREACHABLE);
    }
    // One fresh token after a 401: tokens can expire between the client's check and the server's.
    if (res.status === 401 && !retried) return this.call(method, path, body, headers, true);
    if (res.status === 204) return undefined as T;
    const data = (await res.json().catch(() => undefined)) as { error?: { code: string; message: string; correlationId?: string } } | undefined;
    if (!res.ok) {
      const err = data?.error;
      throw new ApiError(res.status, err?.code ?? 'http', err?.message ?? `Noticed answered with status ${res.status}.`, err?.correlationId ?? res.headers.get('x-correlation-id') ?? undefined);
    }
    return data as T;
  }
}

/** The board and the caller's role on it. */
export interface BoardInfo extends BoardSummary {
  memberCount: number;
}

/** Filters of the board feed. */
export interface FeedFilters {
  kind?: Kind;
  person?: string;
  /** Only credits this person gave. */
  giver?: string;
  since?: string;
  until?: string;
  /** The last this many days, by the server's clock. */
  days?: number;
}

/** The page size the API allows at most. */
const PAGE = 100;

/** The board tab's client: the calls it shares with the add-in, and the board's feed and insights. */
export class BoardApi extends NoticedApi {
  board(boardId: string): Promise<BoardInfo> {
    return this.call('GET', `/boards/${enc(boardId)}`);
  }

  /** One page of the feed, newest first. */
  recognitions(boardId: string, filters: FeedFilters, cursor?: string, limit = PAGE): Promise<{ items: Credit[]; nextCursor: string | null }> {
    const query = new URLSearchParams({ limit: String(limit) });
    for (const [key, value] of Object.entries(filters)) if (value) query.set(key, String(value));
    if (cursor) query.set('cursor', cursor);
    return this.call('GET', `/boards/${enc(boardId)}/recognitions?${query}`);
  }

  /** One credit the caller may see, as a shared link opens it; a 404 when it is gone or private to others. */
  credit(boardId: string, creditId: string): Promise<Credit> {
    return this.call('GET', `/boards/${enc(boardId)}/recognitions/${enc(creditId)}`);
  }

  endorse(boardId: string, creditId: string): Promise<{ count: number; added: boolean; endorsedBy: Person[] }> {
    return this.call('POST', `/boards/${enc(boardId)}/recognitions/${enc(creditId)}/endorsements`);
  }

  /** Removes a credit (its giver or a lead). */
  removeCredit(boardId: string, creditId: string): Promise<void> {
    return this.call('DELETE', `/boards/${enc(boardId)}/recognitions/${enc(creditId)}`);
  }

  /** Changes the kind of the caller's own credit; answers the credit as it now is. */
  changeKind(boardId: string, creditId: string, kind: Kind): Promise<Credit> {
    return this.call('PATCH', `/boards/${enc(boardId)}/recognitions/${enc(creditId)}`, { kind });
  }

  /** Takes back the caller's own endorsement. */
  unendorse(boardId: string, creditId: string): Promise<{ count: number; removed: boolean; endorsedBy: Person[] }> {
    return this.call('DELETE', `/boards/${enc(boardId)}/recognitions/${enc(creditId)}/endorsements/me`);
  }

  insights(boardId: string, days: number): Promise<Insights> {
    return this.call('GET', `/boards/${enc(boardId)}/insights?days=${days}`);
  }
}

/** A path segment, encoded. */
export const enc = encodeURIComponent;
