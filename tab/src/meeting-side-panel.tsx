import { Button } from '@fluentui/react-button';
import { MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-message-bar';
import { Spinner } from '@fluentui/react-spinner';
import { Caption1, Subtitle2, Text } from '@fluentui/react-text';
import { tokens } from '@fluentui/react-theme';
import { makeStyles, mergeClasses } from '@griffel/react';
import { AddCircle24Regular, Dismiss20Regular, ShareScreenStart24Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type BoardApi, type Credit, describeError, kindInfo } from '../../core/browser';
import { type BoardStart, type FirstLoad, loadBoard } from './board-opening';
import { DEFAULT_PERIOD, feedFilters } from './feed-filters';
import { names, timeAgo } from './format';
import GiveCreditDialog from './give-credit-dialog';
import { presentStandup } from './standup-api';
import { stageUrl } from './teams';
import { canShareToStage, shareToStage } from './teams-meeting';


/** How many of the newest credits the side panel lists: enough to see the last few given, short enough to scan beside a call. */
const LATEST = 10;

const useStyles = makeStyles({
  // Teams' side panel is 320 px wide, a narrow window less: nothing here may widen the page.
  shell: { boxSizing: 'border-box', width: '100%', maxWidth: '480px', padding: tokens.spacingHorizontalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  heading: { margin: 0, overflowWrap: 'anywhere' },
  actions: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  centre: { display: 'flex', justifyContent: 'center', padding: tokens.spacingVerticalXL },
  quiet: { color: tokens.colorNeutralForeground2 },
  credit: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    // A real border, so credits keep their edges in high contrast.
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  // An outline, not only a colour, so the new credit stands out in high contrast too.
  fresh: { outline: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}` },
  kind: { color: tokens.colorBrandForeground1, fontWeight: tokens.fontWeightSemibold },
  // Text only, long words wrapped, a few lines at most beside a call.
  message: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', display: '-webkit-box', WebkitLineClamp: '4', WebkitBoxOrient: 'vertical', overflow: 'hidden' },
});

/**
 * The board in a meeting's side panel: give credit while people talk and see the latest
 * credits, without the leads' views; a lead whom Teams lets share puts the stand-up on the stage.
 */
export default function MeetingSidePanel({ api, boardHints, first, onRendered }: { api: BoardApi; boardHints: string[]; first?: FirstLoad; onRendered?(): void }) {
  const styles = useStyles();
  const [start, setStart] = useState<BoardStart>();
  const [credits, setCredits] = useState<Credit[]>();
  const [listProblem, setListProblem] = useState<string>();
  const [revision, setRevision] = useState(0);
  const [fresh, setFresh] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [dialog, setDialog] = useState({ open: false, opening: 0 });
  const [mayShare, setMayShare] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [shareProblem, setShareProblem] = useState<string>();
  const giveButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let cancelled = false;
    void (first?.answer ?? loadBoard(api, boardHints, true)).then((loaded) => {
      if (cancelled) return;
      setStart(loaded);
      if (!('problem' in loaded)) setCredits(loaded.firstPage?.items.slice(0, LATEST));
      onRendered?.();
    });
    return () => {
      cancelled = true;
    };
  }, [api, boardHints, first, onRendered]);

  const loaded = start && !('problem' in start) ? start : undefined;
  const lead = loaded?.board.role === 'lead';

  // Only where Teams allows it (a presenter, in a meeting that lets apps share), and only for a lead, whom the server lets present.
  useEffect(() => {
    if (!lead) return;
    let cancelled = false;
    void canShareToStage().then((allowed) => !cancelled && setMayShare(allowed));
    return () => {
      cancelled = true;
    };
  }, [lead]);

  useEffect(() => {
    if (!loaded || revision === 0) return;
    let cancelled = false;
    api.recognitions(loaded.board.id, feedFilters(DEFAULT_PERIOD, '', ''), undefined, LATEST).then(
      (page) => {
        if (cancelled) return;
        setCredits(page.items);
        setListProblem(undefined);
      },
      (error: unknown) => !cancelled && setListProblem(describeError(error)),
    );
    return () => {
      cancelled = true;
    };
  }, [api, loaded, revision]);

  const closeDialog = useCallback(() => {
    setDialog((d) => ({ ...d, open: false }));
    requestAnimationFrame(() => giveButton.current?.focus());
  }, []);
  const onGiven = useCallback(
    (credit: Credit) => {
      closeDialog();
      setFresh(credit.id);
      setRevision((r) => r + 1);
      const given = `Credit given to ${credit.recipients.map((r) => r.name).join(', ')}.`;
      setNotice(credit.notice ? `${given} ${credit.notice}` : given);
    },
    [closeDialog],
  );

  const share = async () => {
    if (!loaded) return;
    setSharing(true);
    setShareProblem(undefined);
    try {
      await presentStandup(api, loaded.board.id, 'last');
      await shareToStage(stageUrl(loaded.board.id));
      setNotice('The stand-up is on the meeting stage. Move through it there; everyone follows your slide.');
    } catch (error) {
      setShareProblem(error instanceof ApiError ? describeError(error) : 'Teams did not share the stand-up to the stage. Try again.');
    } finally {
      setSharing(false);
    }
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
      <main className={styles.shell}>
        <MessageBar intent="warning">
          <MessageBarBody>{start.problem}</MessageBarBody>
        </MessageBar>
      </main>
    );
  }

  const { me, board, roster } = start;
  return (
    <div className={styles.shell}>
      <header>
        <h1 className={styles.heading}>
          <Subtitle2>{board.name}</Subtitle2>
        </h1>
        <Caption1 className={styles.quiet}>Signed in as {me.user.name}</Caption1>
      </header>
      <div className={styles.actions}>
        <Button ref={giveButton} appearance="primary" icon={<AddCircle24Regular />} onClick={() => setDialog((d) => ({ open: true, opening: d.opening + 1 }))}>
          Give credit
        </Button>
        {mayShare ? (
          <Button icon={<ShareScreenStart24Regular />} disabledFocusable={sharing} onClick={() => void share()}>
            {sharing ? 'Sharing…' : 'Share stand-up to stage'}
          </Button>
        ) : null}
      </div>
      <div role="status" aria-live="polite">
        {notice ? (
          <MessageBar intent="success">
            <MessageBarBody>{notice}</MessageBarBody>
            <MessageBarActions containerAction={<Button appearance="transparent" aria-label="Dismiss" icon={<Dismiss20Regular />} onClick={() => setNotice(undefined)} />} />
          </MessageBar>
        ) : null}
      </div>
      {shareProblem ? (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{shareProblem}</MessageBarBody>
        </MessageBar>
      ) : null}
      {dialog.opening ? (
        <GiveCreditDialog key={dialog.opening} open={dialog.open} initialRecipients={[]} api={api} boardId={board.id} roster={roster} me={me} onClose={closeDialog} onGiven={onGiven} />
      ) : null}
      <main>
        <section aria-labelledby="latest-credits">
          <h2 id="latest-credits" className={styles.heading}>
            <Subtitle2>Latest credits</Subtitle2>
          </h2>
          {listProblem ? (
            <MessageBar intent="error">
              <MessageBarBody>{listProblem}</MessageBarBody>
              <MessageBarActions>
                <Button onClick={() => setRevision((r) => r + 1)}>Retry</Button>
              </MessageBarActions>
            </MessageBar>
          ) : !credits ? (
            <Spinner size="small" label="Loading credits…" />
          ) : credits.length === 0 ? (
            <p className={styles.quiet}>No credits in the last 30 days yet. Who made this week easier?</p>
          ) : (
            <ul className={styles.list}>
              {credits.map((c) => (
                <li key={c.id} className={mergeClasses(styles.credit, c.id === fresh && styles.fresh)} aria-label={`${kindInfo(c.kind).label}: ${names(c.recipients)}, from ${c.giver.name}`}>
                  <Caption1 className={styles.kind}>{kindInfo(c.kind).label}</Caption1>
                  <Text weight="semibold">{names(c.recipients)}</Text>
                  <Text className={styles.message}>{c.message}</Text>
                  <Caption1 className={styles.quiet}>
                    from {c.giver.name} · {timeAgo(c.createdAt)}
                  </Caption1>
                </li>
              ))}
            </ul>
          )}
        </section>
      </main>
    </div>
  );
}
