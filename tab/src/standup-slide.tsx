import { Spinner } from '@fluentui/react-spinner';
import { tokens } from '@fluentui/react-theme';
import { makeStyles, mergeClasses } from '@griffel/react';
import { kindInfo } from '../../core/browser';
import type { StandupSession, StandupWindow } from './standup-api';
import { names, plural, shortDate, timeAgo } from './format';
import { KIND_ICONS } from './kind-style';

/** One slide of a stand-up. */
export type Slide = { type: 'intro' } | { type: 'credit'; credit: StandupSession['credits'][number] } | { type: 'spotlight'; person: NonNullable<StandupSession['spotlight']> } | { type: 'closing' };

/** Where a presenter can start a stand-up, with the words the screen shows for each. */
export const WINDOWS: Array<{ id: StandupWindow; label: string }> = [
  { id: 'last', label: 'Since the last stand-up' },
  { id: 'week', label: 'This week' },
  { id: '7d', label: 'Last 7 days' },
];

/** A stand-up's slides: the opening, one per credit, the spotlight, the closing prompt. */
export function slidesOf(session: StandupSession): Slide[] {
  const spotlight = session.spotlight ? [{ type: 'spotlight' as const, person: session.spotlight }] : [];
  return [{ type: 'intro' }, ...session.credits.map((credit) => ({ type: 'credit' as const, credit })), ...spotlight, { type: 'closing' }];
}

/** Characters past which a message is shown a size smaller. */
const LONG_MESSAGE = 280;

const useStyles = makeStyles({
  // Scrolls when a slide is taller than the screen; centred by auto margins, not justifyContent,
  // which would push a long slide's kind and names off the top where no scrolling reaches.
  stage: { flexGrow: 1, minHeight: 0, display: 'flex', flexDirection: 'column', padding: '0 8vw', overflowY: 'auto' },
  slide: { marginTop: 'auto', marginBottom: 'auto', paddingBottom: '3vh', display: 'flex', flexDirection: 'column', gap: '3vh' },
  eyebrow: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, fontSize: 'clamp(18px, 2.2vw, 32px)', color: tokens.colorBrandForeground1, fontWeight: tokens.fontWeightSemibold },
  big: { fontSize: 'clamp(32px, 5vw, 80px)', lineHeight: 1.15, fontWeight: tokens.fontWeightSemibold, margin: 0, overflowWrap: 'anywhere' },
  body: { fontSize: 'clamp(22px, 3vw, 48px)', lineHeight: 1.3, margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  // A long message steps down a size so most fit the screen; the stage scrolls for the rest.
  longBody: { fontSize: 'clamp(18px, 2vw, 32px)' },
  meta: { fontSize: 'clamp(16px, 1.8vw, 28px)', color: tokens.colorNeutralForeground2 },
});

/**
 * The slide on screen, in large type: the same on the stand-up screen and on a meeting's
 * stage. `hint` is the opening slide's line on how to move on (keys for a presenter).
 */
export function StandupSlide({ slide, session, range, problem, holdProblem, hint }: {
  slide?: Slide;
  session?: StandupSession;
  range: StandupWindow;
  problem?: string;
  holdProblem?: string;
  hint?: string;
}) {
  const styles = useStyles();
  const creditCount = session?.credits.length ?? 0;
  return (
    <section className={styles.stage} aria-live="polite" aria-atomic="true" data-slide={slide?.type}>
      <div className={styles.slide}>
        {problem ? (
          <p className={styles.body}>{problem}</p>
        ) : !slide ? (
          <Spinner size="huge" label="Getting the stand-up ready…" />
        ) : slide.type === 'intro' ? (
          <>
            <div className={styles.eyebrow}>
              {session && `${range === 'last' ? (session.lastHeldAt ? 'Since the last stand-up' : 'The last week') : WINDOWS.find((w) => w.id === range)?.label} · ${shortDate(session.since)}`}
            </div>
            <h2 className={styles.big}>
              {creditCount ? `${plural(creditCount, 'credit')} to share` : range === 'last' ? 'No new credits since last time' : 'No credits in this time'}
            </h2>
            {!creditCount && range === 'last' ? <p className={mergeClasses(styles.body, styles.meta)}>To replay it, choose This week or Last 7 days above.</p> : null}
            {hint ? <p className={mergeClasses(styles.body, styles.meta)}>{hint}</p> : null}
          </>
        ) : slide.type === 'credit' ? (
          <>
            <div className={styles.eyebrow}>
              {KIND_ICONS[slide.credit.kind]} {kindInfo(slide.credit.kind).label}
            </div>
            <h2 className={styles.big}>{names(slide.credit.recipients)}</h2>
            <p className={mergeClasses(styles.body, slide.credit.message.length > LONG_MESSAGE && styles.longBody)}>{slide.credit.message}</p>
            <p className={mergeClasses(styles.body, styles.meta)}>
              from {slide.credit.giver.name} · {timeAgo(slide.credit.createdAt)}
              {slide.credit.endorsementCount ? ` · ${plural(slide.credit.endorsementCount, 'person', 'people')} saw this too` : ''}
            </p>
          </>
        ) : slide.type === 'spotlight' ? (
          <>
            <div className={styles.eyebrow}>Quiet contributor spotlight</div>
            <h2 className={styles.big}>{slide.person.name}</h2>
            <p className={styles.body}>What has {slide.person.name.split(' ')[0]} done lately that helped you, even if nobody saw it?</p>
          </>
        ) : (
          <>
            <div className={styles.eyebrow}>Before we go</div>
            <h2 className={styles.big}>Who made your week easier?</h2>
            <p className={mergeClasses(styles.body, styles.meta)}>Give them credit now, in chat or on the board.</p>
            {holdProblem && <p className={mergeClasses(styles.body, styles.meta)}>{holdProblem}</p>}
          </>
        )}
      </div>
    </section>
  );
}
