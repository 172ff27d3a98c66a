import { tokens } from '@fluentui/react-theme';
import { makeStyles, mergeClasses } from '@griffel/react';
import { type ComponentType, type KeyboardEvent, useEffect, useRef, useState } from 'react';

/** What the view tabs show and do. */
export interface ViewTabsProps {
  tabs: Array<{ value: string; label: string }>;
  selected: string;
  onSelect(value: string): void;
  className?: string;
}

const useStyles = makeStyles({
  list: { display: 'flex' },
  // Fluent's medium Tab, closely enough that nothing moves when it takes over.
  tab: {
    boxSizing: 'border-box',
    height: '44px',
    padding: `0 ${tokens.spacingHorizontalMNudge}`,
    border: 'none',
    borderBottom: `${tokens.strokeWidthThicker} solid transparent`,
    backgroundColor: 'transparent',
    color: tokens.colorNeutralForeground2,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    cursor: 'pointer',
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  selected: { color: tokens.colorNeutralForeground1, fontWeight: tokens.fontWeightSemibold, borderBottomColor: tokens.colorCompoundBrandStroke },
});

const KEYS: Record<string, (at: number, count: number) => number> = {
  ArrowRight: (at, count) => (at + 1) % count,
  ArrowLeft: (at, count) => (at - 1 + count) % count,
  Home: () => 0,
  End: (_at, count) => count - 1,
};

/** Fluent's tab list once its code has arrived: a later mount (another person signed in) shows it at once. */
let FluentTabs: ComponentType<ViewTabsProps> | undefined;

/**
 * The board's views as tabs. Fluent's TabList is not needed before the first cards answer, so
 * plain tabs that work the same (a tablist, arrow keys between its tabs) show until its code
 * has arrived, and stay if it never does.
 */
export function ViewTabs(props: ViewTabsProps) {
  const [Fluent, setFluent] = useState(() => FluentTabs);
  useEffect(() => {
    if (Fluent) return;
    let live = true;
    // From an effect, so the first cards' paint never waits for Fluent's tabs to render.
    import('./board-extras').then(
      (m) => {
        FluentTabs = m.FluentViewTabs;
        if (live) setFluent(() => m.FluentViewTabs);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [Fluent]);
  return Fluent ? <Fluent {...props} /> : <PlainViewTabs {...props} />;
}

function PlainViewTabs({ tabs, selected, onSelect, className }: ViewTabsProps) {
  const styles = useStyles();
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    const move = KEYS[e.key];
    const buttons = [...(list.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (!move || at < 0) return;
    e.preventDefault();
    buttons[move(at, buttons.length)].focus();
  };
  return (
    <div ref={list} role="tablist" aria-label="Views" className={mergeClasses(styles.list, className)} onKeyDown={onKeyDown}>
      {tabs.map((t) => (
        <button
          key={t.value}
          type="button"
          role="tab"
          aria-selected={t.value === selected}
          tabIndex={t.value === selected ? 0 : -1}
          className={mergeClasses(styles.tab, t.value === selected && styles.selected)}
          onClick={() => onSelect(t.value)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
