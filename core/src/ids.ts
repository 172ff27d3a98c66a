import { hash, randomUUID } from 'node:crypto';

/**
 * The id of a credit. With a client key (an activity id plus card key, or an
 * Idempotency-Key header) it is derived from board and key, so a retried request lands on
 * the same id and the store returns the first credit instead of writing a second.
 */
export function recognitionId(tenantId: string, boardId: string, clientKey?: string): string {
  if (!clientKey) return `r-${randomUUID()}`;
  // The one-shot hash: no Hash object per credit.
  const digest = hash('sha256', `${tenantId}\n${boardId}\n${clientKey}`, 'base64url');
  return `r-${digest.slice(0, 32)}`;
}
