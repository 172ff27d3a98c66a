import { hash, randomUUID } from 'node:crypto';

/**
 * The id of a credit. With a client key it is derived from board and key, so a retried
 * request lands on the same id and the store returns the first credit instead of writing a
 * second.
 */
export function recognitionId(tenantId: string, boardId: string, clientKey?: string): string {
  if (!clientKey) return `r-${randomUUID()}`;
  // The one-shot hash: no Hash object per credit.
  const digest = hash('sha256', `${tenantId}\n${boardId}\n${clientKey}`, 'base64url');
  return `r-${digest.slice(0, 32)}`;
}

/** How long the same giver, people and reason on a board count as one credit (DESIGN §6). */
export const SAME_CREDIT_MS = 10 * 60_000;

/**
 * What makes two credits the same one: who gave it, the people as a set, the reason as
 * typed give or take case and spacing, and the credit it passes on from. Recipients are
 * given by their keys (user id, else `email:` address).
 */
export function sameCreditKey(giverId: string, recipientKeys: readonly string[], message: string, inspiredBy?: string): string {
  const people = [...new Set(recipientKeys)].sort();
  const reason = message.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-US');
  return JSON.stringify([giverId, people, reason, inspiredBy ?? '']);
}

/**
 * The ids the same credit has when given at `at`: the one of its 10-minute window and the one
 * of the window before. Resends in one window collide on the id, so the store's create-only
 * write keeps one of them whatever the timing; a resend just past a window's end finds the
 * first credit by a point read of the previous window's id.
 */
export function sameCreditIds(tenantId: string, boardId: string, key: string, at: Date): { current: string; previous: string } {
  const window = Math.floor(at.getTime() / SAME_CREDIT_MS);
  return { current: recognitionId(tenantId, boardId, `same:${window}:${key}`), previous: recognitionId(tenantId, boardId, `same:${window - 1}:${key}`) };
}

/** The start of the window before `at`'s: the earliest a credit the same as one given at `at` can have been given. */
export function sameCreditSince(at: Date): string {
  return new Date((Math.floor(at.getTime() / SAME_CREDIT_MS) - 1) * SAME_CREDIT_MS).toISOString();
}

/** Where the same credit goes once the credit at `id` was removed: given again, it is a new credit, and its own resends meet there. */
export function afterRemovedId(tenantId: string, boardId: string, id: string): string {
  return recognitionId(tenantId, boardId, `after:${id}`);
}
