import type { Logger } from 'pino';
import type { Response } from 'restify';
import { DomainError, STORE_UNAVAILABLE_TEXT, asStoreFault } from '../../../core';
import { TokenError } from '../auth/token-verifier';

/** An HTTP refusal whose message is safe to show to the caller. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const DOMAIN_STATUS: Record<DomainError['code'], number> = {
  invalid: 400,
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

/** The one JSON shape every error has: `{"error":{"code","message","correlationId"}}`. */
export function sendError(res: Response, log: Logger, correlationId: string, error: unknown): void {
  let status = 500;
  let body: { code: string; message: string; field?: string; correlationId: string };
  let headers: Record<string, string> = {};
  const fault = asStoreFault(error);
  if (fault) {
    // A fault of the moment, not of the request: say a retry is safe, and when to make it.
    status = 503;
    body = { code: 'store_unavailable', message: STORE_UNAVAILABLE_TEXT, correlationId };
    headers = { 'Retry-After': String(fault.retryAfterSeconds) };
    log.warn({ err: error }, 'store unavailable');
  } else if (error instanceof HttpError) {
    status = error.status;
    body = { code: error.code, message: error.message, field: error.field, correlationId };
    headers = error.headers;
  } else if (error instanceof DomainError) {
    status = DOMAIN_STATUS[error.code];
    body = { code: error.code, message: error.message, field: error.field, correlationId };
    if (status === 503) headers = { 'Retry-After': '1' };
  } else if (error instanceof TokenError) {
    status = 401;
    body = { code: 'unauthorized', message: 'Sign in again: your access token is missing, expired or not valid for Noticed.', correlationId };
    headers = { 'WWW-Authenticate': 'Bearer error="invalid_token"' };
    log.info({ reason: error.message }, 'token refused');
  } else {
    // The details go to the log only; a stack or driver message can leak internals.
    log.error({ err: error }, 'request failed');
    body = { code: 'internal', message: 'Something went wrong on our side. Try again, and quote the correlation id if it keeps happening.', correlationId };
  }
  if (status >= 400 && status < 500 && !(error instanceof TokenError)) log.info({ status, code: body.code, field: body.field }, 'request refused');
  for (const [name, value] of Object.entries(headers)) res.header(name, value);
  res.status(status);
  res.json({ error: JSON.parse(JSON.stringify(body)) });
}
