import { MessageBar, MessageBarBody } from '@fluentui/react-message-bar';
import { Spinner } from '@fluentui/react-spinner';
import { Body1, Caption1, Subtitle1, Text } from '@fluentui/react-text';
import { tokens } from '@fluentui/react-theme';
import { makeStyles } from '@griffel/react';
import { LockClosed16Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { type BoardApi, type Credit, describeError, kindInfo } from '../../core/browser';
import { names, plural, shortDate, timeAgo } from './format';
import { KIND_ICONS } from './kind-style';
import { Panel } from './panel';
import { InitialsAvatar } from './people-avatars';

/** The most of each list one visit loads: the latest first, which is what people look back on. */
const LATEST = 100;

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(340px, 100%), 1fr))', gap: tokens.spacingHorizontalL, alignItems: 'start' },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, '& h2': { margin: 0 } },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  kind: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  // Text only: whitespace kept, long words wrapped; never parsed as HTML.
  message: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground2 },
  byline: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalXS },
});

type Mine = { received: Credit[]; given: Credit[]; more: { received: boolean; given: boolean } };

/** What the signed-in person received and gave on this board, with the kind of each: the tab's `mine`. */
export default function MyCreditsView({ api, boardId, userId }: { api: BoardApi; boardId: string; userId: string }) {
  const styles = useStyles();
  const [mine, setMine] = useState<Mine>();
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    let cancelled = false;
    Promise.all([api.recognitions(boardId, { person: userId }, undefined, LATEST), api.recognitions(boardId, { giver: userId }, undefined, LATEST)]).then(
      ([received, given]) =>
        !cancelled && setMine({ received: received.items, given: given.items, more: { received: Boolean(received.nextCursor), given: Boolean(given.nextCursor) } }),
      (error) => !cancelled && setProblem(describeError(error)),
    );
    return () => {
      cancelled = true;
    };
  }, [api, boardId, userId]);

  if (problem) {
    return (
      <MessageBar intent="error">
        <MessageBarBody>{problem}</MessageBarBody>
      </MessageBar>
    );
  }
  if (!mine) return <Spinner label="Loading your credits…" />;

  const sections = [
    { id: 'received', title: 'Received', credits: mine.received, more: mine.more.received, who: (c: Credit) => `from ${c.giver.name}`, faces: (c: Credit) => [c.giver], none: 'Nobody has credited you on this board yet.' },
    { id: 'given', title: 'Given', credits: mine.given, more: mine.more.given, who: (c: Credit) => `to ${names(c.recipients)}`, faces: (c: Credit) => c.recipients, none: 'You have not given credit on this board yet.' },
  ];
  return (
    <section aria-label="My credits" data-testid="my-credits" className={styles.grid}>
      {sections.map((s) => (
        <Panel key={s.id} className={styles.card}>
          <Subtitle1 as="h2" id={`mine-${s.id}`}>
            {s.title} ({plural(s.credits.length, 'credit')})
          </Subtitle1>
          {s.credits.length ? (
            <ul className={styles.list} aria-labelledby={`mine-${s.id}`}>
              {s.credits.map((c) => (
                <li key={c.id}>
                  <Text weight="semibold" className={styles.kind}>
                    {KIND_ICONS[c.kind]} {kindInfo(c.kind).label}
                  </Text>
                  <Body1 className={styles.message} as="p">
                    {c.message}
                  </Body1>
                  <div className={styles.byline}>
                    {s.faces(c).map((p, i) => (
                      <InitialsAvatar key={`${i}-${p.name}`} name={p.name} size={20} />
                    ))}
                    <Caption1 className={styles.muted}>
                      {s.who(c)} · <time dateTime={c.createdAt} title={shortDate(c.createdAt)}>{timeAgo(c.createdAt)}</time>
                      {c.visibility === 'private' ? (
                        <>
                          {' · '}
                          <LockClosed16Regular aria-hidden /> Private
                        </>
                      ) : null}
                    </Caption1>
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <Body1>{s.none}</Body1>
          )}
          {s.more ? <Caption1 className={styles.muted}>The latest {LATEST} are shown.</Caption1> : null}
        </Panel>
      ))}
    </section>
  );
}
