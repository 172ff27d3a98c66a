/** The proactive messages Noticed sends on its own: the habits', and the private notices about credit (core/src/credit-notices.ts). */
export type SendKind = 'digest' | 'nudge' | 'reminder' | 'credit-notice' | 'passed-on';

/**
 * Where a send stands. `pending`: recorded, posting may have started. `sent`: posted.
 * `failed`: known not posted (Teams throttled it), to be tried again after `retryAt`.
 * `gave-up`: not tried again, either because it cannot reach anyone (the bot was removed) or
 * because whether it was posted is unknown, and at most once is the promise.
 */
export type SendStatus = 'pending' | 'sent' | 'failed' | 'gave-up';

/** One proactive message (DESIGN §5, Sent), written before it is posted. */
export interface SendRecord {
  tenantId: string;
  boardId: string;
  /** board + kind + period (+ recipient): two runs that mean the same message make the same key. */
  key: string;
  kind: SendKind;
  /** The period the message is for (`week-of-2026-11-30`); for a notice about a credit, the credit's id. */
  period: string;
  /** The member a 1:1 message goes to; absent for the board's conversation. */
  recipientId?: string;
  status: SendStatus;
  /** Posting attempts started, the first included. */
  attempts: number;
  createdAt: string;
  updatedAt: string;
  /** When a throttled send may be tried again (ISO). */
  retryAt?: string;
  /** The activity id Teams gave the posted message. */
  activityId?: string;
  /** Why it was given up, in a word for logs and support: `unreachable`, `unknown-outcome`, `stale-pending`, `throttled`. */
  reason?: string;
}

/** The key of a proactive message: the same board, kind, period and recipient always make the same one. */
export function sendKey(kind: SendKind, period: string, recipientId?: string): string {
  return recipientId ? `${kind}:${period}:${recipientId}` : `${kind}:${period}`;
}
