import { Button } from '@fluentui/react-button';
import { Text } from '@fluentui/react-text';
import { tokens } from '@fluentui/react-theme';
import { makeStyles } from '@griffel/react';
import { ChevronLeft24Regular, ChevronRight24Regular, Dismiss24Regular } from '@fluentui/react-icons';
import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import { type BoardApi, describeError } from '../../core/browser';
import { type StandupSession, type StandupWindow, holdStandup, standupSession } from './standup-api';
import { type Slide, StandupSlide, WINDOWS, slidesOf } from './standup-slide';

const FORWARD = new Set(['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter']);
const BACK = new Set(['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace']);

/** The overlay's Tab stops, in order. */
function focusStops(overlay: HTMLElement | null): HTMLElement[] {
  return [...(overlay?.querySelectorAll<HTMLElement>('button, [href], [tabindex]:not([tabindex="-1"])') ?? [])];
}

const useStyles = makeStyles({
  overlay: {
    position: 'fixed',
    inset: 0,
    zIndex: 1000,
    display: 'flex',
    flexDirection: 'column',
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    ':focus-visible': { outline: 'none' },
  },
  bar: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXXL}`, gap: tokens.spacingHorizontalM },
  controls: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  hint: { color: tokens.colorNeutralForeground2 },
});

/**
 * Stand-up mode: full screen, one credit at a time since the last stand-up, a spotlight, one
 * prompt. The board's server decides all of it, so every screen runs the same stand-up.
 */
export default function StandupMode({ api, boardId, boardName, onExit }: { api: BoardApi; boardId: string; boardName: string; onExit(): void }) {
  const styles = useStyles();
  const root = useRef<HTMLDivElement>(null);
  const [session, setSession] = useState<StandupSession>();
  const [slides, setSlides] = useState<Slide[]>();
  const [index, setIndex] = useState(0);
  const [problem, setProblem] = useState<string>();
  const [holdProblem, setHoldProblem] = useState<string>();
  const held = useRef(false);
  const [range, setRange] = useState<StandupWindow>('last');

  useEffect(() => {
    let cancelled = false;
    setSlides(undefined);
    setProblem(undefined);
    setIndex(0);
    standupSession(api, boardId, range).then(
      (found) => {
        if (cancelled) return;
        setSession(found);
        setSlides(slidesOf(found));
      },
      (error: unknown) => {
        if (!cancelled) setProblem(describeError(error));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, boardId, range]);

  useEffect(() => {
    root.current?.focus();
    const el = document.documentElement;
    // Full screen where the browser allows it; the overlay already fills the tab where it does not.
    if (!document.fullscreenElement && el.requestFullscreen) el.requestFullscreen().catch(() => undefined);
    return () => {
      if (document.fullscreenElement) document.exitFullscreen().catch(() => undefined);
    };
  }, []);

  // Fluent's focus manager moves Tab itself at the overlay's edges, so focus that still gets out is brought back.
  useEffect(() => {
    const bringBack = (event: FocusEvent) => {
      const overlay = root.current;
      if (!overlay || overlay.contains(event.target as Node)) return;
      const stops = focusStops(overlay);
      const wentBack = event.relatedTarget === stops[0];
      (wentBack ? stops[stops.length - 1] : stops[0])?.focus();
    };
    document.addEventListener('focusin', bringBack);
    return () => document.removeEventListener('focusin', bringBack);
  }, []);

  const count = slides?.length ?? 0;
  const slide = slides?.[index];

  useEffect(() => {
    // Reaching the closing prompt is what makes a stand-up "held": the next one starts here.
    // Only a stand-up since the last one moves the board on; this week and the last 7 days are replays.
    if (slide?.type !== 'closing' || !session || held.current || range !== 'last') return;
    held.current = true;
    holdStandup(api, boardId, session.since).catch((error: unknown) => setHoldProblem(describeError(error)));
  }, [slide, session, api, boardId, range]);

  const go = useCallback((step: number) => setIndex((i) => Math.min(Math.max(i + step, 0), Math.max(count - 1, 0))), [count]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Tab') return trapTab(event);
    if ((event.target as HTMLElement).closest('button') && (event.key === ' ' || event.key === 'Enter')) return;
    if (event.key === 'Escape') return onExit();
    if (event.key === 'Home') return setIndex(0);
    if (event.key === 'End') return setIndex(Math.max(count - 1, 0));
    const forward = FORWARD.has(event.key) && !(event.key === ' ' && event.shiftKey);
    const back = BACK.has(event.key) || (event.key === ' ' && event.shiftKey);
    if (!forward && !back) return;
    event.preventDefault();
    go(forward ? 1 : -1);
  };

  // A modal keeps Tab inside: the board's controls behind the overlay are hidden from view.
  const trapTab = (event: KeyboardEvent) => {
    const focusable = focusStops(root.current);
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const at = document.activeElement;
    if (event.shiftKey && (at === first || at === root.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (at === last || !root.current?.contains(at))) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div ref={root} className={styles.overlay} role="dialog" aria-modal="true" aria-label={`Stand-up: ${boardName}`} tabIndex={-1} onKeyDown={onKeyDown} data-testid="standup">
      <div className={styles.bar}>
        <Text weight="semibold">{boardName} · Stand-up</Text>
        <div className={styles.controls} role="group" aria-label="Show credits">
          {WINDOWS.map((w) => (
            <Button key={w.id} size="small" appearance={range === w.id ? 'primary' : 'subtle'} aria-pressed={range === w.id} onClick={() => setRange(w.id)}>
              {w.label}
            </Button>
          ))}
        </div>
        <div className={styles.controls}>
          <Text className={styles.hint} aria-live="polite" data-testid="standup-position">
            {count ? `${index + 1} of ${count}` : ''}
          </Text>
          {/* disabledFocusable: a disabled button would drop focus out of the overlay, and with it the keys. */}
          <Button appearance="subtle" icon={<ChevronLeft24Regular />} aria-label="Previous" disabledFocusable={index === 0} onClick={() => go(-1)} />
          <Button appearance="subtle" icon={<ChevronRight24Regular />} aria-label="Next" disabledFocusable={index >= count - 1} onClick={() => go(1)} />
          <Button appearance="subtle" icon={<Dismiss24Regular />} onClick={onExit}>
            Exit
          </Button>
        </div>
      </div>
      <StandupSlide slide={slide} session={session} range={range} problem={problem} holdProblem={holdProblem} hint="Use the arrow keys, Page Down or space to move on. Escape leaves." />
    </div>
  );
}
