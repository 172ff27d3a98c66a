import { Button } from '@fluentui/react-button';
import { Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-dialog';
import { MessageBar, MessageBarBody } from '@fluentui/react-message-bar';
import { useState } from 'react';
import { type BoardApi, type Credit, describeError } from '../../core/browser';
import { names } from './format';

/** Asks before a credit is removed, and removes it: a removal cannot be undone, so it is never one click. */
export default function RemoveCreditDialog({ api, credit, onCancel, onRemoved }: { api: BoardApi; credit: Credit; onCancel(): void; onRemoved(credit: Credit): void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  const remove = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await api.removeCredit(credit.boardId, credit.id);
      onRemoved(credit);
    } catch (error) {
      setProblem(describeError(error));
      setBusy(false);
    }
  };

  return (
    <Dialog open modalType="alert" onOpenChange={(_e, data) => !data.open && !busy && onCancel()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Remove this credit?</DialogTitle>
          <DialogContent>
            The credit to {names(credit.recipients)} leaves the board, and the counts in insights no longer include it. This cannot be undone.
            {problem ? (
              <MessageBar intent="error">
                <MessageBarBody>{problem}</MessageBarBody>
              </MessageBar>
            ) : null}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={busy} onClick={remove}>
              {busy ? 'Removing…' : 'Remove credit'}
            </Button>
            <Button disabled={busy} onClick={onCancel}>
              Cancel
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
