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

type Outcome = { copied: true } | { copied: false; link?: string };

/**
 * A "Copy link" button that says "Link copied" beside itself (announced), or shows the link to
 * copy by hand when the browser would not copy it, or says the link could not be made.
 */
export function CopyLinkButton({ link, label, children }: { link(): Promise<string>; label?: string; children: ReactNode }) {
  const styles = useStyles();
  const [outcome, setOutcome] = useState<Outcome>();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!outcome?.copied) return;
    const timer = window.setTimeout(() => setOutcome(undefined), SHOWN_MS);
    return () => window.clearTimeout(timer);
  }, [outcome]);

  const copy = async () => {
    let text: string | undefined;
    try {
      text = await link();
      // The clipboard code loads on the first copy (beside the link's): most visits never share a link.
      const { copyText } = await import('./share-link');
      setOutcome((await copyText(text)) ? { copied: true } : { copied: false, link: text });
    } catch {
      setOutcome({ copied: false, link: text });
    }
    button.current?.focus();
  };

  return (
    <span className={styles.row}>
      <Button ref={button} size="small" appearance="subtle" aria-label={label} onClick={copy}>
        {children}
      </Button>
      <span role="status">
        {outcome?.copied ? <Caption1 className={styles.done}>Link copied</Caption1> : null}
        {outcome && !outcome.copied && outcome.link ? (
          <Caption1 className={styles.done}>
            Copy it from here:{' '}
            <input className={styles.manual} readOnly value={outcome.link} aria-label="The link to copy" onFocus={(e) => e.currentTarget.select()} />
          </Caption1>
        ) : null}
        {outcome && !outcome.copied && !outcome.link ? <Caption1 className={styles.done}>The link could not be made. Check your connection, then try again.</Caption1> : null}
      </span>
    </span>
  );
}
