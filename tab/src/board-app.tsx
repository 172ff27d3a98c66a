import { Button, MessageBar, MessageBarActions, MessageBarBody, Spinner, Tab, TabList, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { AddCircle24Regular, Dismiss20Regular, SlideText24Regular } from '@fluentui/react-icons';
import { type ReactNode, Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import { type BoardApi, type BoardInfo, type Credit, type Me, type RosterMember, describeError } from '../../core/browser';
import { BoardView } from './board-view';

const StandupMode = lazy(() => import('./standup-mode'));
const InsightsView = lazy(() => import('./insights-view'));
const SettingsView = lazy(() => import('./settings-view'));
const YouView = lazy(() => import('./you-view'));
// The dialog (people picker, radios, switch) is a third of the UI code; it loads on first use, prefetched when idle.
const loadGiveCredit = () => import('./give-credit-dialog');
const GiveCreditDialog = lazy(loadGiveCredit);

const useStyles = makeStyles({
  shell: { maxWidth: '1400px', margin: '0 auto', padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}` },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  titles: { display: 'flex', flexDirection: 'column' },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  tabs: { marginTop: tokens.spacingVerticalM, marginBottom: tokens.spacingVerticalM },
  centre: { display: 'flex', justifyContent: 'center', padding: tokens.spacingVerticalXXL },
  notice: { marginBottom: tokens.spacingVerticalM },
});

type Loaded = { me: Me; board: BoardInfo; roster: RosterMember[] };
type View = 'board' | 'insights' | 'settings' | 'you';

/** The signed-in board: header, board and insights views, give-credit dialog and stand-up mode. */
export function BoardApp({ api, boardHints, onRendered, switchPerson }: { api: BoardApi; boardHints: string[]; onRendered?: () => void; switchPerson?: ReactNode }) {
  const styles = useStyles();
  const [loaded, setLoaded] = useState<Loaded>();
  const [problem, setProblem] = useState<string>();
  const [view, setView] = useState<View>('board');
  const [standup, setStandup] = useState(false);
  const [dialog, setDialog] = useState<{ open: boolean; recipients: string[] }>({ open: false, recipients: [] });
  const [revision, setRevision] = useState(0);
  const [notice, setNotice] = useState<string>();
  const [dialogUsed, setDialogUsed] = useState(false);
  const standupButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const me = await api.me();
        const ids = me.boards.map((b) => b.id);
        const boardId = boardHints.find((id) => ids.includes(id)) ?? ids[0];
        if (!boardId) {
          setProblem('You are not on a Noticed board yet. Add Noticed to your team in Teams, or ask a lead to add you.');
          return;
        }
        const [board, roster] = await Promise.all([api.board(boardId), api.members(boardId)]);
        if (!cancelled) setLoaded({ me, board, roster });
      } catch (error) {
        if (!cancelled) setProblem(describeError(error));
      } finally {
        onRendered?.();
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [api, boardHints, onRendered]);

  const giveCredit = useCallback((recipients: string[] = []) => {
    setDialogUsed(true);
    setDialog({ open: true, recipients });
  }, []);

  useEffect(() => {
    if (!loaded) return;
    const idle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 200));
    idle(() => void loadGiveCredit().catch(() => undefined));
  }, [loaded]);
  const onSteppedDown = useCallback(() => {
    setLoaded((l) => (l ? { ...l, board: { ...l.board, role: 'member' } } : l));
    setView('board');
    setNotice('You no longer lead this board.');
  }, []);
  const onGiven = useCallback((credit: Credit) => {
    setDialog({ open: false, recipients: [] });
    setRevision((r) => r + 1);
    const given = `Credit given to ${credit.recipients.map((r) => r.name).join(', ')}.`;
    setNotice(credit.notice ? `${given} ${credit.notice}` : given);
  }, []);

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
  return (
    <div className={styles.shell}>
      <header className={styles.header}>
        <div className={styles.titles}>
          <Title2 as="h1">{board.name}</Title2>
          <Text>Behind-the-scenes work, made visible · signed in as {me.user.name}</Text>
        </div>
        <div className={styles.actions}>
          <Button appearance="primary" icon={<AddCircle24Regular />} onClick={() => giveCredit()}>
            Give credit
          </Button>
          <Button ref={standupButton} icon={<SlideText24Regular />} onClick={() => setStandup(true)}>
            Stand-up mode
          </Button>
          {switchPerson}
        </div>
      </header>
      <TabList className={styles.tabs} selectedValue={view} onTabSelect={(_e, data) => setView(data.value as View)} aria-label="Views">
        <Tab value="board">Board</Tab>
        <Tab value="insights">Insights</Tab>
        {board.role === 'lead' ? <Tab value="settings">Settings</Tab> : null}
        <Tab value="you">You</Tab>
      </TabList>
      <div role="status" aria-live="polite">
        {notice ? (
          <MessageBar intent="success" className={styles.notice}>
            <MessageBarBody>{notice}</MessageBarBody>
            <MessageBarActions containerAction={<Button appearance="transparent" aria-label="Dismiss" icon={<Dismiss20Regular />} onClick={() => setNotice(undefined)} />} />
          </MessageBar>
        ) : null}
      </div>
      <main>
        {view === 'board' ? (
          <BoardView api={api} boardId={board.id} me={me} roster={roster} revision={revision} onGiveCredit={giveCredit} />
        ) : view === 'insights' ? (
          <Suspense fallback={<Spinner label="Loading insights…" />}>
            <InsightsView api={api} boardId={board.id} onGiveCredit={giveCredit} />
          </Suspense>
        ) : view === 'settings' && board.role === 'lead' ? (
          <Suspense fallback={<Spinner label="Loading settings…" />}>
            <SettingsView api={api} boardId={board.id} roster={roster} myUserId={me.user.userId} onSteppedDown={onSteppedDown} />
          </Suspense>
        ) : (
          <Suspense fallback={<Spinner label="Loading your preferences…" />}>
            <YouView api={api} boardId={board.id} />
          </Suspense>
        )}
      </main>
      {dialogUsed ? (
        <Suspense fallback={null}>
          <GiveCreditDialog
        open={dialog.open}
        initialRecipients={dialog.recipients}
        api={api}
        boardId={board.id}
        roster={roster}
        me={me}
        onClose={() => setDialog({ open: false, recipients: [] })}
        onGiven={onGiven}
          />
        </Suspense>
      ) : null}
      {standup ? (
        <Suspense fallback={null}>
          <StandupMode api={api} boardId={board.id} boardName={board.name} onExit={() => {
              setStandup(false);
              // Back where the presenter left off, for the next keyboard step.
              requestAnimationFrame(() => standupButton.current?.focus());
            }}
          />
        </Suspense>
      ) : null}
    </div>
  );
}
