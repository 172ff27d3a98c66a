import { MessageBar, MessageBarBody } from '@fluentui/react-message-bar';
import { tokens } from '@fluentui/react-theme';
import { useEffect, useState } from 'react';
import { ApiError, type BoardApi, type Credit, describeError } from '../../core/browser';

/** What a link to a credit the viewer cannot see says: the same whether it was removed or is private to others, so it tells a stranger nothing. */
export const LINKED_CREDIT_GONE = 'The credit this link points to is gone, or it is private and not shared with you.';

/** Asks for the credit a link names and hands it to the board to show, or says why it cannot be shown. */
export default function LinkedCreditCheck({ api, boardId, creditId, onFound }: { api: BoardApi; boardId: string; creditId: string; onFound(credit: Credit): void }) {
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    api.credit(boardId, creditId).then(
      (credit) => !cancelled && onFound(credit),
      (error: unknown) => !cancelled && setProblem(error instanceof ApiError && error.status === 404 ? LINKED_CREDIT_GONE : describeError(error)),
    );
    return () => {
      cancelled = true;
    };
  }, [api, boardId, creditId, onFound]);
  return (
    <div role="status">
      {problem ? (
        <MessageBar intent="warning" style={{ marginBottom: tokens.spacingVerticalM }}>
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      ) : null}
    </div>
  );
}
