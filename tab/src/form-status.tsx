import { MessageBar, MessageBarBody } from '@fluentui/react-message-bar';
import { tokens } from '@fluentui/react-theme';
import { useState } from 'react';
import { describeError } from '../../core/browser';

/** What a form last said: a success to confirm, or an error to fix. */
export interface FormStatus {
  intent: 'success' | 'error';
  text: string;
}

/**
 * A form's busy flag and status line, and `run`, which does one change at a time and says what
 * it came to: the sentence the change returns, or what went wrong.
 */
export function useFormRun() {
  const [status, setStatus] = useState<FormStatus>();
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setStatus(undefined);
    try {
      setStatus({ intent: 'success', text: await work() });
    } catch (error) {
      setStatus({ intent: 'error', text: describeError(error) });
    } finally {
      setBusy(false);
    }
  };
  return { status, setStatus, busy, run };
}

/** Where a form says what its last change came to, announced politely to screen readers. */
export function FormStatusBar({ status }: { status?: FormStatus }) {
  return (
    <div role="status" aria-live="polite">
      {status ? (
        <MessageBar intent={status.intent} style={{ marginBottom: tokens.spacingVerticalM }}>
          <MessageBarBody>{status.text}</MessageBarBody>
        </MessageBar>
      ) : null}
    </div>
  );
}
