import type { CreditView } from '../../core/browser';

export type { CreditView };
/** A failure the pane can explain: the server's own sentence and its correlation id. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly correlationId?: string,
  ) {
    super(message);
  }
}

/** A board the caller is on, from GET /me. */
export interface BoardSummary {
  id: string;
  name: string;
  role: string;
}

/** GET /me. */
export interface Me {
  user: { tenantId: string; userId: string; name: string };
  boards: BoardSummary[];
}

/** What POST /recognitions answers with (the parts the pane shows). */
/** The credit the pane sends. */
export interface CreditRequest {
  recipients: Array<{ userId: string } | { email: string; name: string }>;
  message: string;
  kind: string;
  evidence: { type: 'email'; title?: string; ref?: string; url?: string };
}

const UNREACHABLE = 'Noticed could not be reached. Check your connection and try again.';

/** The REST API as the pane uses it; every call carries a fresh bearer token. */
export class NoticedApi {
  constructor(
    private readonly token: () => Promise<string>,
    private readonly base = '/api/v1',
  ) {}

  me(): Promise<Me> {
    return this.call('GET', '/me');
  }

  /** The roster, up to `limit` members, or those whose name or email starts with `q`. */
  async members(boardId: string, q?: string, limit = 100): Promise<Array<{ userId: string; name: string; email?: string; role: string }>> {
    const query = new URLSearchParams({ limit: String(limit), ...(q ? { q } : {}) });
    const body = await this.call<{ items: Array<{ userId: string; name: string; email?: string; role: string }> }>('GET', `/boards/${encodeURIComponent(boardId)}/members?${query}`);
    return body.items;
  }

  /** Gives credit; the same idempotency key again returns the first credit instead of a second one. */
  giveCredit(boardId: string, credit: CreditRequest, idempotencyKey: string): Promise<CreditView> {
    return this.call('POST', `/boards/${encodeURIComponent(boardId)}/recognitions`, { ...credit, source: 'outlook' }, { 'idempotency-key': idempotencyKey });
  }

  private async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const token = await this.token();
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch {
      throw new ApiError(UNREACHABLE, 0, 'unreachable');
    }
    const parsed = await res.json().catch(() => undefined);
    if (!res.ok) throw toApiError(res.status, parsed);
    return parsed as T;
  }
}

/** Turns an error answer into an ApiError with the server's message, or a plain one when there is none. */
export function toApiError(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; correlationId?: unknown } } | undefined)?.error;
  const message = typeof error?.message === 'string' && error.message ? error.message : status >= 500 ? 'Noticed had a problem on its side. Try again in a moment.' : `The request was refused (${status}).`;
  return new ApiError(message, status, typeof error?.code === 'string' ? error.code : 'error', typeof error?.correlationId === 'string' ? error.correlationId : undefined);
}
