import { Button } from '@fluentui/react-button';
import { MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-message-bar';
import { tokens } from '@fluentui/react-theme';
import { makeStyles } from '@griffel/react';
import { Component, type ComponentType, type ReactNode, Suspense, lazy, useState } from 'react';

type Loader<P> = () => Promise<{ default: ComponentType<P> }>;

const useStyles = makeStyles({
  failed: { marginBottom: tokens.spacingVerticalM },
});

/** What stands in for a piece that did not load. */
function PieceFailed({ what, onRetry }: { what: string; onRetry(): void }) {
  return (
    <MessageBar intent="error" role="alert" className={useStyles().failed}>
      <MessageBarBody>{what} could not load. Check your connection, then retry.</MessageBarBody>
      <MessageBarActions>
        <Button onClick={onRetry}>Retry</Button>
      </MessageBarActions>
    </MessageBar>
  );
}

/** Shown in a piece's place when its code did not arrive (or it failed to render), with a Retry. */
class PieceBoundary extends Component<{ what: string; onRetry(): void; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <PieceFailed
        what={this.props.what}
        onRetry={() => {
          this.props.onRetry();
          this.setState({ failed: false });
        }}
      />
    );
  }
}

/**
 * A component whose code loads on first use. A failed load (a network blip, a deploy that
 * replaced the chunk) shows a message with Retry in its place and leaves the rest of the page
 * as it was: without the boundary React unmounts the whole app to a blank page. React.lazy
 * remembers a rejected load, so Retry starts a new one, shared by every later use; `preload`
 * fetches the code ahead of first use.
 */
export function lazyPiece<P extends object>(what: string, load: Loader<P>, fallback: ReactNode = null): ComponentType<P> & { preload(): void } {
  let current = lazy(load);
  const LazyPiece = (props: P) => {
    const [, setAttempt] = useState(0);
    const Piece = current;
    return (
      <PieceBoundary
        what={what}
        onRetry={() => {
          current = lazy(load);
          setAttempt((n) => n + 1);
        }}
      >
        <Suspense fallback={fallback}>
          <Piece {...props} />
        </Suspense>
      </PieceBoundary>
    );
  };
  // Starts fetching the code ahead of first use; the browser hands the same module to the first render.
  return Object.assign(LazyPiece, { preload: () => void load().catch(() => undefined) });
}
