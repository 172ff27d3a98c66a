import { Button } from '@fluentui/react-button';
import { Caption1 } from '@fluentui/react-text';
import { tokens } from '@fluentui/react-theme';
import { makeStyles } from '@griffel/react';
import { type ReactNode, useEffect, useRef, useState } from 'react';

const useStyles = makeStyles({
  row: { display: 'inline-flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  done: { color: tokens.colorNeutralForeground2 },
  manual: { width: '100%', minWidth: 0, fontSize: tokens.fontSizeBase200 },
});

/** How long "Link copied" stays on screen: long enough to read, gone before it goes stale. */
const SHOWN_MS = 4000;

/** A "Copy link" button that says "Link copied" beside itself (announced), or shows the link to copy by hand when the browser would not. */
export function CopyLinkButton({ link, label, children }: { link(): Promise<string>; label?: string; children: ReactNode }) {
  const styles = useStyles();
  const [state, setState] = useState<{ copied: boolean; link: string }>();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!state?.copied) return;
    const timer = window.setTimeout(() => setState(undefined), SHOWN_MS);
    return () => window.clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    const text = await link();
    // The clipboard code loads on the first copy (beside the link's): most visits never share a link.
    const copied = await import('./share-link').then(({ copyText }) => copyText(text), () => false);
    button.current?.focus();
    setState({ copied, link: text });
  };

  return (
    <span className={styles.row}>
      <Button ref={button} size="small" appearance="subtle" aria-label={label} onClick={copy}>
        {children}
      </Button>
      <span role="status">
        {state?.copied ? <Caption1 className={styles.done}>Link copied</Caption1> : null}
        {state && !state.copied ? (
          <Caption1 className={styles.done}>
            Copy it from here:{' '}
            <input className={styles.manual} readOnly value={state.link} aria-label="The link" onFocus={(e) => e.currentTarget.select()} />
          </Caption1>
        ) : null}
      </span>
    </span>
  );
}
