import { Button } from '@fluentui/react-button';
import { MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-message-bar';
import { Spinner } from '@fluentui/react-spinner';
import { Text, Title2 } from '@fluentui/react-text';
import { tokens } from '@fluentui/react-theme';
import { makeStyles } from '@griffel/react';
import { AddCircle24Regular, Dismiss20Regular, SlideText24Regular } from '@fluentui/react-icons';
import { type ComponentProps, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { type BoardApi, type BoardInfo, type Credit, type Me, type RosterMember } from '../../core/browser';
import { BoardView, preloadBoardPieces } from './board-view';
import { type BoardStart, type FirstLoad, loadBoard } from './board-opening';
import type { FeedPage } from './feed-filters';
import { type FilterState, creditFromLink, filtersFromLink, linkForFilters } from './filter-link';
import { names } from './format';
import { lazyPiece } from './lazy-piece';
import type { TeamsLinkTarget } from './teams';
import { ViewTabs } from './view-tabs';

// The views beside the board come as one piece on first use (secondary-views.ts): each on its own
// split the board's first code into 22 files instead of 14, each a request before it can run.
type Props<View extends keyof typeof import('./secondary-views')> = ComponentProps<(typeof import('./secondary-views'))[View]>;
const StandupMode = lazyPiece<Props<'StandupMode'>>('Stand-up mode', () => import('./secondary-views').then((m) => ({ default: m.StandupMode })));
const InsightsView = lazyPiece<Props<'InsightsView'>>('Insights', () => import('./secondary-views').then((m) => ({ default: m.InsightsView })), <Spinner label="Loading insights…" />);
const SettingsView = lazyPiece<Props<'SettingsView'>>('Settings', () => import('./secondary-views').then((m) => ({ default: m.SettingsView })), <Spinner label="Loading settings…" />);
const MyCreditsView = lazyPiece<Props<'MyCreditsView'>>('My credits', () => import('./secondary-views').then((m) => ({ default: m.MyCreditsView })), <Spinner label="Loading your credits…" />);
const YouView = lazyPiece<Props<'YouView'>>('Your preferences', () => import('./secondary-views').then((m) => ({ default: m.YouView })), <Spinner label="Loading your preferences…" />);
// The dialog (people picker, radios, switch) is a third of the UI code; it loads on first use, prefetched when idle.
const GiveCreditDialog = lazyPiece('Give credit', () => import('./give-credit-dialog'));

const useStyles = makeStyles({
  shell: { maxWidth: '1400px', margin: '0 auto', padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}` },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  titles: { display: 'flex', flexDirection: 'column' },
  heading: { margin: 0 },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  // Wraps rather than widening a phone-width page (Teams mobile, a side panel) into sideways scroll.
  tabs: { flexWrap: 'wrap', marginTop: tokens.spacingVerticalM, marginBottom: tokens.spacingVerticalM },
  centre: { display: 'flex', justifyContent: 'center', padding: tokens.spacingVerticalXXL },
  notice: { marginBottom: tokens.spacingVerticalM },
});

type Loaded = { me: Me; board: BoardInfo; roster: RosterMember[] };
type View = 'board' | 'mine' | 'insights' | 'settings' | 'you';

const LEAD_TABS: Array<{ value: View; label: string }> = [
  { value: 'board', label: 'Board' },
  { value: 'mine', label: 'My credits' },
  { value: 'insights', label: 'Insights' },
  { value: 'settings', label: 'Settings' },
  { value: 'you', label: 'You' },
];
const MEMBER_TABS = LEAD_TABS.filter((t) => t.value !== 'insights' && t.value !== 'settings');

/** The signed-in board: header, board and insights views, give-credit dialog and stand-up mode. */
export function BoardApp({ api, boardHints, filterLink, first, focusOnLoad, onRendered, switchPerson, teamsLink }: {
  api: BoardApi;
  boardHints: string[];
  /** The filters a link opened the board with, as a query (`period=30&kind=prevented`). */
  filterLink?: string;
  /** The first load, when the page started it before the board's code ran. */
  first?: FirstLoad;
  /** Focus the board's heading once it shows: the sign-in button that had focus is gone. */
  focusOnLoad?: boolean;
  onRendered?: () => void;
  switchPerson?: ReactNode;
  /** In Teams: what a deep link back to this tab names, so shared links open the board inside Teams. */
  teamsLink?: TeamsLinkTarget;
}) {
  const styles = useStyles();
  // An answer that came while the board's code loaded is the first render: no loading step in between.
  const [came] = useState(() => first?.came);
  const [loaded, setLoaded] = useState<Loaded | undefined>(() => (came && !('problem' in came) ? came : undefined));
  const [problem, setProblem] = useState<string | undefined>(() => (came && 'problem' in came ? came.problem : undefined));
  const [view, setView] = useState<View>('board');
  const [standup, setStandup] = useState(false);
  const [dialog, setDialog] = useState<{ open: boolean; recipients: string[]; opening: number }>({ open: false, recipients: [], opening: 0 });
  const [revision, setRevision] = useState(0);
  const [filters, setFilters] = useState(() => filtersFromLink(filterLink));
  const [linked] = useState(() => creditFromLink(filterLink));
  const [notice, setNotice] = useState<string>();
  const [dialogUsed, setDialogUsed] = useState(false);
  const standupButton = useRef<HTMLButtonElement>(null);
  const giveButton = useRef<HTMLButtonElement>(null);
  // The button that opened the dialog, so focus goes back there however it closes.
  const opener = useRef<HTMLElement | null>(null);
  const [fresh, setFresh] = useState<string>();
  const firstPage = useRef<FeedPage | undefined>(came && !('problem' in came) ? came.firstPage : undefined);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let cancelled = false;
    // While the board's first answers travel. Fluent's view tabs come in the same chunk, but
    // render only after the first paint (view-tabs.tsx).
    preloadBoardPieces();
    const settle = (start: BoardStart) => {
      if (cancelled) return onRendered?.();
      if ('problem' in start) setProblem(start.problem);
      else {
        firstPage.current = start.firstPage;
        setLoaded(start);
      }
      onRendered?.();
    };
    if (came) onRendered?.();
    else void (first?.answer ?? loadBoard(api, boardHints)).then(settle);
    return () => {
      cancelled = true;
    };
  }, [api, boardHints, first, came, onRendered]);

  // Without this, focus falls to the page after sign-in and a keyboard user starts again from the top.
  useEffect(() => {
    if (loaded && focusOnLoad) heading.current?.focus();
  }, [loaded, focusOnLoad]);

  const takeFirstPage = useCallback(() => {
    const page = firstPage.current;
    firstPage.current = undefined;
    return page;
  }, []);

  const giveCredit = useCallback((recipients: string[] = []) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setDialogUsed(true);
    setDialog((d) => ({ open: true, recipients, opening: d.opening + 1 }));
  }, []);

  useEffect(() => {
    if (!loaded) return;
    const idle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 200));
    idle(GiveCreditDialog.preload);
  }, [loaded]);
  const onSteppedDown = useCallback(() => {
    setLoaded((l) => (l ? { ...l, board: { ...l.board, role: 'member' } } : l));
    setView('board');
    setNotice('You no longer lead this board.');
  }, []);
  const closeDialog = useCallback(() => {
    setDialog((d) => ({ ...d, open: false }));
    // The empty board's Give credit is gone once a credit exists; the header's is always there.
    requestAnimationFrame(() => (opener.current?.isConnected ? opener.current : giveButton.current)?.focus());
  }, []);
  const onGiven = useCallback((credit: Credit) => {
    closeDialog();
    setFresh(credit.id);
    setRevision((r) => r + 1);
    const given = `Credit given to ${credit.recipients.map((r) => r.name).join(', ')}.`;
    setNotice(credit.notice ? `${given} ${credit.notice}` : given);
  }, [closeDialog]);

  const onFilters = useCallback((change: Partial<FilterState>) => setFilters((current) => ({ ...current, ...change })), []);
  // The page's URL follows the filters, so the address a lead copies opens the same view.
  useEffect(() => {
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${linkForFilters(filters, window.location.search)}`);
  }, [filters]);
  const onRemoved = useCallback((credit: Credit) => setNotice(`Credit to ${names(credit.recipients)} removed.`), []);
  const boardId = loaded?.board.id;
  // The board's own address with the query; in Teams, the deep link that opens this tab there, with that address as its fallback.
  const linkTo = useCallback(
    async (query: string) => {
      const { shareLink } = await import('./share-link');
      const subPage = new URLSearchParams(query);
      if (boardId) subPage.set('board', boardId);
      return shareLink(`${window.location.origin}${window.location.pathname}${query ? `?${query}` : ''}`, subPage.toString(), teamsLink);
    },
    [teamsLink, boardId],
  );

  if (problem) {
    return (
      <main className={styles.shell}>
        <MessageBar intent="warning">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      </main>
    );
  }
  if (!loaded) {
    return (
      <div className={styles.centre}>
        <Spinner label="Loading the board…" />
      </div>
    );
  }

  const { me, board, roster } = loaded;
  // The tab already knows the role: offering members a lead's view would only end in a refusal.
  const lead = board.role === 'lead';
  const shown: View = !lead && (view === 'insights' || view === 'settings') ? 'board' : view;
  return (
    <div className={styles.shell}>
      <header className={styles.header}>
        <div className={styles.titles}>
          {/* Title2 is a preset that takes no ref: the heading itself holds the ref, so focus can go to it. */}
          <h1 ref={heading} tabIndex={-1} className={styles.heading}>
            <Title2>{board.name}</Title2>
          </h1>
          <Text>Behind-the-scenes work, made visible · signed in as {me.user.name}</Text>
        </div>
        <div className={styles.actions}>
          <Button ref={giveButton} appearance="primary" icon={<AddCircle24Regular />} onClick={() => giveCredit()}>
            Give credit
          </Button>
          <Button ref={standupButton} icon={<SlideText24Regular />} onClick={() => setStandup(true)}>
            Stand-up mode
          </Button>
          {switchPerson}
        </div>
      </header>
      <ViewTabs className={styles.tabs} tabs={lead ? LEAD_TABS : MEMBER_TABS} selected={shown} onSelect={(value) => setView(value as View)} />
      <div role="status" aria-live="polite">
        {notice ? (
          <MessageBar intent="success" className={styles.notice}>
            <MessageBarBody>{notice}</MessageBarBody>
            <MessageBarActions containerAction={<Button appearance="transparent" aria-label="Dismiss" icon={<Dismiss20Regular />} onClick={() => setNotice(undefined)} />} />
          </MessageBar>
        ) : null}
      </div>
      {dialogUsed ? (
        <GiveCreditDialog
          // A fresh dialog per opening: Fluent's modal bookkeeping (Tabster's modalizer) kept the
          // closed one's state after a submit and hid the next opening from focus and readers.
          key={dialog.opening}
          open={dialog.open}
          initialRecipients={dialog.recipients}
          api={api}
          boardId={board.id}
          roster={roster}
          me={me}
          onClose={closeDialog}
          onGiven={onGiven}
        />
      ) : null}
      {standup ? (
        <StandupMode
          api={api}
          boardId={board.id}
          boardName={board.name}
          onExit={() => {
            setStandup(false);
            // Back where the presenter left off, for the next keyboard step.
            requestAnimationFrame(() => standupButton.current?.focus());
          }}
        />
      ) : null}
      <main>
        {shown === 'board' ? (
          <BoardView
            api={api}
            boardId={board.id}
            me={me}
            role={board.role}
            roster={roster}
            revision={revision}
            fresh={fresh}
            filters={filters}
            onFilters={onFilters}
            onGiveCredit={giveCredit}
            onRemoved={onRemoved}
            takeFirstPage={takeFirstPage}
            heading={heading}
            linked={linked}
            linkTo={linkTo}
          />
        ) : shown === 'mine' ? (
          <MyCreditsView api={api} boardId={board.id} userId={me.user.userId} />
        ) : shown === 'insights' ? (
          <InsightsView api={api} boardId={board.id} onGiveCredit={giveCredit} />
        ) : shown === 'settings' ? (
          <SettingsView api={api} boardId={board.id} roster={roster} myUserId={me.user.userId} onSteppedDown={onSteppedDown} />
        ) : (
          <YouView api={api} boardId={board.id} />
        )}
      </main>
    </div>
  );
}
