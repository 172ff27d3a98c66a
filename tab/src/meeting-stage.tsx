import { Button } from '@fluentui/react-button';
import { MessageBar, MessageBarBody } from '@fluentui/react-message-bar';
import { Spinner } from '@fluentui/react-spinner';
import { Text } from '@fluentui/react-text';
import { tokens } from '@fluentui/react-theme';
import { makeStyles } from '@griffel/react';
import { ChevronLeft24Regular, ChevronRight24Regular } from '@fluentui/react-icons';
import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type BoardApi, describeError } from '../../core/browser';
import { type BoardStart, type FirstLoad, loadBoard } from './board-opening';
import { type LivePosition, type StandupSession, type StandupWindow, holdStandup, livePosition, liveSession, moveStandup, presentStandup } from './standup-api';
import { type Slide, StandupSlide, WINDOWS, slidesOf } from './standup-slide';

/**
 * How often a screen on the stage asks where the presenter is. Polling, because the server is
 * stateless behind a load balancer: any instance answers from the store, with no connection to
 * keep per viewer; a slide a second or two late is fine while someone talks.
 */
const POLL_MS = 1500;

/** A presenter flicking through several slides sends only where they stop: the moves are writes, rate limited per person. */
const MOVE_SETTLE_MS = 250;

const FORWARD = new Set(['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter']);
const BACK = new Set(['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace']);

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', height: '100vh', backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1, ':focus-visible': { outline: 'none' } },
  bar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXXL}`, gap: tokens.spacingHorizontalM },
  controls: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  hint: { color: tokens.colorNeutralForeground2 },
  heading: { margin: 0, fontSize: 'inherit' },
  slideArea: { flexGrow: 1, minHeight: 0, display: 'flex', flexDirection: 'column' },
  centre: { display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', gap: tokens.spacingVerticalM, flexGrow: 1, padding: tokens.spacingHorizontalXXL, textAlign: 'center' },
});

type Deck = { startedAt: string; session: StandupSession; slides: Slide[] };

/**
 * The stand-up on a meeting's stage: everyone in the meeting sees the slide the presenter is
 * on. The presenter (the lead who shared it) moves it with the keys or the buttons; everyone
 * else follows, and has nothing to press.
 */
export default function MeetingStage({ api, boardHints, first, onRendered }: { api: BoardApi; boardHints: string[]; first?: FirstLoad; onRendered?(): void }) {
  const styles = useStyles();
  const root = useRef<HTMLDivElement>(null);
  const [start, setStart] = useState<BoardStart>();
  const [live, setLive] = useState<LivePosition | null>();
  const [deck, setDeck] = useState<Deck>();
  const [index, setIndex] = useState(0);
  const [problem, setProblem] = useState<string>();
  const [holdProblem, setHoldProblem] = useState<string>();
  const held = useRef<string | undefined>(undefined);
  const pendingMove = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const boardId = start && !('problem' in start) ? start.board.id : undefined;
  const presenting = Boolean(live?.presenting);

  useEffect(() => {
    let cancelled = false;
    void (first?.answer ?? loadBoard(api, boardHints, true)).then((loaded) => {
      if (cancelled) return;
      setStart(loaded);
      onRendered?.();
    });
    return () => {
      cancelled = true;
    };
  }, [api, boardHints, first, onRendered]);

  // Follows the presenter: the position every POLL_MS, the deck again only when a new presentation starts.
  useEffect(() => {
    if (!boardId) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let deckOf: string | undefined;
    const poll = async () => {
      try {
        const position = await livePosition(api, boardId);
        if (cancelled) return;
        if (position && position.startedAt !== deckOf) {
          const session = await liveSession(api, boardId);
          if (cancelled) return;
          deckOf = position.startedAt;
          setDeck({ startedAt: position.startedAt, session, slides: slidesOf(session) });
          setIndex(position.slide);
        } else if (position && !position.presenting) {
          setIndex(position.slide);
        }
        setLive(position);
        setProblem(undefined);
      } catch (error) {
        if (!cancelled) setProblem(describeError(error));
      }
      if (!cancelled) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, boardId]);

  useEffect(() => {
    if (presenting) root.current?.focus();
  }, [presenting]);

  useEffect(() => () => clearTimeout(pendingMove.current), []);

  const count = deck?.slides.length ?? 0;
  const slide = deck?.slides[Math.min(index, Math.max(count - 1, 0))];

  useEffect(() => {
    // As in stand-up mode: reaching the closing prompt holds a stand-up since the last one, once per presentation.
    if (!presenting || !boardId || !deck || slide?.type !== 'closing' || live?.window !== 'last' || held.current === deck.startedAt) return;
    held.current = deck.startedAt;
    holdStandup(api, boardId, deck.session.since).catch((error: unknown) => setHoldProblem(describeError(error)));
  }, [presenting, boardId, deck, slide, live?.window, api]);

  const go = useCallback(
    (step: number) => {
      if (!boardId || !count) return;
      const next = Math.min(Math.max(index + step, 0), count - 1);
      if (next === index) return;
      setIndex(next);
      clearTimeout(pendingMove.current);
      pendingMove.current = setTimeout(() => {
        moveStandup(api, boardId, next).catch((error: unknown) => {
          // Another lead took the stage over: this screen follows now.
          if (error instanceof ApiError && error.status === 403) setLive((l) => (l ? { ...l, presenting: false } : l));
          setProblem(describeError(error));
        });
      }, MOVE_SETTLE_MS);
    },
    [api, boardId, count, index],
  );

  const restart = (window: StandupWindow) => {
    if (!boardId) return;
    presentStandup(api, boardId, window).then(
      (position) => setLive(position),
      (error: unknown) => setProblem(describeError(error)),
    );
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (!presenting) return;
    if ((event.target as HTMLElement).closest('button') && (event.key === ' ' || event.key === 'Enter')) return;
    const forward = FORWARD.has(event.key) && !(event.key === ' ' && event.shiftKey);
    const back = BACK.has(event.key) || (event.key === ' ' && event.shiftKey);
    if (!forward && !back) return;
    event.preventDefault();
    go(forward ? 1 : -1);
  };

  if (!start) {
    return (
      <div className={styles.centre}>
        <Spinner label="Loading the board…" />
      </div>
    );
  }
  if ('problem' in start) {
    return (
      <main className={styles.centre}>
        <MessageBar intent="warning">
          <MessageBarBody>{start.problem}</MessageBarBody>
        </MessageBar>
      </main>
    );
  }

  const position = count ? `${Math.min(index, count - 1) + 1} of ${count}` : '';
  return (
    <div ref={root} className={styles.page} tabIndex={-1} onKeyDown={onKeyDown} data-testid="stage">
      <header className={styles.bar}>
        <h1 className={styles.heading}>
          <Text weight="semibold">{start.board.name} · Stand-up</Text>
        </h1>
        {presenting ? (
          <div className={styles.controls} role="group" aria-label="Show credits">
            {WINDOWS.map((w) => (
              <Button key={w.id} size="small" appearance={live?.window === w.id ? 'primary' : 'subtle'} aria-pressed={live?.window === w.id} onClick={() => restart(w.id)}>
                {w.label}
              </Button>
            ))}
          </div>
        ) : null}
        <div className={styles.controls}>
          <Text className={styles.hint} data-testid="standup-position">
            {live ? (presenting ? position : `${position} · presented by ${live.presenter.name}`) : ''}
          </Text>
          {presenting ? (
            <>
              <Button appearance="subtle" icon={<ChevronLeft24Regular />} aria-label="Previous" disabledFocusable={index === 0} onClick={() => go(-1)} />
              <Button appearance="subtle" icon={<ChevronRight24Regular />} aria-label="Next" disabledFocusable={index >= count - 1} onClick={() => go(1)} />
            </>
          ) : null}
        </div>
      </header>
      {problem ? (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      ) : null}
      {live === null ? (
        <main className={styles.centre}>
          <Text size={600} weight="semibold">
            Waiting for a lead to share the stand-up
          </Text>
          <Text>A lead of {start.board.name} starts it from Noticed in the meeting’s side panel.</Text>
        </main>
      ) : (
        <main className={styles.slideArea}>
          <StandupSlide slide={slide} session={deck?.session} range={live?.window ?? 'last'} holdProblem={holdProblem} hint={presenting ? 'Use the arrow keys, Page Down or space to move on; everyone in the meeting follows.' : undefined} />
        </main>
      )}
    </div>
  );
}
