import { NO_LEAD_YET } from './board';

/** Why a domain operation was refused; the edges map each to a status or a reply. */
export type DomainErrorCode = 'invalid' | 'not_found' | 'forbidden' | 'conflict' | 'rate_limited' | 'unavailable';

/** A refusal that is safe to show: its message is written for the user, never internal. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A refusal because the input broke a rule; `field` names what to fix. */
export function invalid(message: string, field?: string): DomainError {
  return new DomainError('invalid', message, field);
}

/**
 * The refusal of a lead's view on a board no one leads yet (opened by a message, not an
 * install): its words say how a lead comes about, so every surface shows them as they are.
 */
export class NoLeadYet extends DomainError {
  constructor() {
    super('forbidden', NO_LEAD_YET);
    this.name = 'NoLeadYet';
  }
}

/** What a person is told when the store could not be reached in time: nothing was lost, and a retry is safe. */
export const STORE_UNAVAILABLE_TEXT = 'Noticed could not reach its storage just now. Nothing was lost, and nothing will be saved twice: please try again in a moment.';

/**
 * A transient store failure (throttled, unavailable, timed out, connection dropped, locked by
 * another process, or the request's deadline passed): the request may be retried as it was.
 */
export class StoreUnavailable extends DomainError {
  constructor(
    /** When a retry is worth trying, in whole seconds. */
    readonly retryAfterSeconds = 1,
  ) {
    super('unavailable', STORE_UNAVAILABLE_TEXT);
    this.name = 'StoreUnavailable';
  }
}
