import type { CreditView, Insights, Kind, Visibility } from '../../core/browser';

/** A credit as the API returns it. */
export type Credit = CreditView;

/** Someone on the board's roster. */
export interface RosterMember {
  userId: string;
  name: string;
  email?: string;
  role: 'lead' | 'member';
}

/** The board and the caller's role on it. */
export interface BoardInfo {
  id: string;
  name: string;
  memberCount: number;
  role: 'lead' | 'member';
}

/** The signed-in user and their boards. */
export interface Me {
  user: { tenantId: string; userId: string; name: string };
  boards: Array<{ id: string; name: string; role: 'lead' | 'member' }>;
}

/** Filters of the board feed. */
export interface FeedFilters {
  kind?: Kind;
  person?: string;
  since?: string;
  until?: string;
  /** The last this many days, by the server's clock. */
  days?: number;
}

/** What the give-credit dialog sends. */
export interface CreditDraft {
  recipients: Array<{ userId: string }>;
  message: string;
  kind: Kind;
  visibility: Visibility;
}

/** An API refusal or failure, carrying the server's own sentence and correlation id. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly correlationId?: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The sentence a page shows for an error: the server's message and its correlation id. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.correlationId ? `${error.message} (Reference: ${error.correlationId})` : error.message;
  return 'Something went wrong in the page. Reload it and try again.';
}

/** Provides a bearer token; `refresh` asks for a new one after the API refused the last. */
export type TokenSource = (refresh?: boolean) => Promise<string>;

/** The page size the API allows at most. */
const PAGE = 100;

/** A typed client of /api/v1 that signs every call with the host's token. */
export class NoticedApi {
  constructor(
    private readonly tokens: TokenSource,
    private readonly base = '/api/v1',
  ) {}

  me(): Promise<Me> {
    return this.call('GET', '/me');
  }

  board(boardId: string): Promise<BoardInfo> {
    return this.call('GET', `/boards/${enc(boardId)}`);
  }

  async members(boardId: string): Promise<RosterMember[]> {
    return (await this.call<{ items: RosterMember[] }>('GET', `/boards/${enc(boardId)}/members?limit=1000`)).items;
  }

  /** One page of the feed, newest first. */
  recognitions(boardId: string, filters: FeedFilters, cursor?: string, limit = PAGE): Promise<{ items: Credit[]; nextCursor: string | null }> {
    const query = new URLSearchParams({ limit: String(limit) });
    for (const [key, value] of Object.entries(filters)) if (value) query.set(key, String(value));
    if (cursor) query.set('cursor', cursor);
    return this.call('GET', `/boards/${enc(boardId)}/recognitions?${query}`);
  }

  /**
   * Gives credit. The idempotency key belongs to one dialog submission, so a retry after a
   * lost answer returns the same credit instead of a second one.
   */
  give(boardId: string, draft: CreditDraft, idempotencyKey: string): Promise<Credit> {
    return this.call('POST', `/boards/${enc(boardId)}/recognitions`, { ...draft, source: 'tab' }, { 'Idempotency-Key': idempotencyKey });
  }

  endorse(boardId: string, creditId: string): Promise<{ count: number; added: boolean }> {
    return this.call('POST', `/boards/${enc(boardId)}/recognitions/${enc(creditId)}/endorsements`);
  }

  insights(boardId: string, days: number): Promise<Insights> {
    return this.call('GET', `/boards/${enc(boardId)}/insights?days=${days}`);
  }

  private async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, retried = false): Promise<T> {
    const token = await this.tokens(retried);
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'network', 'Noticed could not be reached. Check your connection and try again.');
    }
    // One fresh token after a 401: SSO tokens can expire between our check and the server's.
    if (res.status === 401 && !retried) return this.call(method, path, body, headers, true);
    if (res.status === 204) return undefined as T;
    const data = (await res.json().catch(() => undefined)) as { error?: { code: string; message: string; correlationId?: string; field?: string } } | undefined;
    if (!res.ok) {
      const err = data?.error;
      throw new ApiError(res.status, err?.code ?? 'http', err?.message ?? `Noticed answered with status ${res.status}.`, err?.correlationId ?? res.headers.get('x-correlation-id') ?? undefined, err?.field);
    }
    return data as T;
  }
}

const enc = encodeURIComponent;
