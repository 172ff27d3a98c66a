import { Button } from '@fluentui/react-button';
import { Caption1, Text } from '@fluentui/react-text';
import { tokens } from '@fluentui/react-theme';
import { makeStyles, mergeClasses } from '@griffel/react';
import { Delete20Regular, Eye20Regular, LockClosed16Regular } from '@fluentui/react-icons';
import { type ComponentProps, memo, useId, useState } from 'react';
import { type BoardApi, type Credit, type Person, describeError, isKind, mayChangeKind } from '../../core/browser';
import { CopyLinkButton } from './copy-link';
import { EvidenceLine } from './evidence-line';
import { names, shortDate, timeAgo } from './format';
import { lazyPiece } from './lazy-piece';
import { Panel } from './panel';
import { PeopleWithAvatars } from './people-avatars';

const KindSelect = lazyPiece<ComponentProps<typeof import('./board-extras').KindSelect>>('Change kind', () => import('./board-extras').then((m) => ({ default: m.KindSelect })), <PlainKindSelect />);

/** Starts fetching Change kind's code, so it is there by the time the first cards show. */
export const preloadKindSelect = KindSelect.preload;

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, height: '100%' },
  // An outline, not only a colour, so the new credit stands out in high contrast too.
  fresh: { outline: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}`, outlineOffset: tokens.strokeWidthThin },
  freshLabel: { color: tokens.colorBrandForeground1, fontWeight: tokens.fontWeightSemibold },
  who: { fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400 },
  // Text only: whitespace kept, long words wrapped; never parsed as HTML.
  message: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  // A long message stays a few lines, so one credit does not stretch its whole row of cards.
  clamped: { display: '-webkit-box', WebkitLineClamp: '4', WebkitBoxOrient: 'vertical', overflow: 'hidden' },
  more: { alignSelf: 'flex-start', minWidth: 'auto', padding: 0 },
  footer: { marginTop: 'auto', display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  kind: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  meta: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
  private: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXXS, color: tokens.colorNeutralForeground1 },
  problem: { color: tokens.colorPaletteRedForeground1 },
  seenBy: { flexBasis: '100%', color: tokens.colorNeutralForeground2 },
  // In the card's accessible text always; on screen while the pointer or focus is on the button.
  seenByHidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
  // Fluent's small Select's box, so the footer does not move when it arrives.
  plainSelect: { height: '24px', minWidth: '160px', fontFamily: tokens.fontFamilyBase, fontSize: tokens.fontSizeBase200 },
});

/** Stands in for Change kind until its code arrives: the same control, plain and not yet usable. */
function PlainKindSelect() {
  return <select className={useStyles().plainSelect} disabled aria-label="Change kind" />;
}

/** Longer than this, a message is clamped to a few lines with Show more (about four lines of a card). */
const CLAMP_CHARS = 240;

/** "Cy Park and Lee Lead saw this too", with the viewer as "You". */
function seenByText(endorsers: Person[], viewerId: string): string {
  const named = endorsers.map((p) => ({ name: p.userId === viewerId ? 'You' : p.name }));
  const you = named.findIndex((p) => p.name === 'You');
  if (you > 0) named.unshift(...named.splice(you, 1));
  return `${names(named)} saw this too`;
}

/**
 * One credit on the board, with "I saw this too", Remove when `onRemove` is given, and the
 * kind to change on the viewer's own credits (core says who may either).
 */
export const CreditCard = memo(function CreditCard({ credit, api, viewerId, fresh, linked, linkFor, onRemove, onKindChanged, focusKind }: {
  credit: Credit;
  /** The credit the viewer has just given. */
  fresh?: boolean;
  /** The credit a link the viewer followed points at. */
  linked?: boolean;
  /** The link that opens the board at this credit, for its Copy link. */
  linkFor?(credit: Credit): Promise<string>;
  api: BoardApi;
  viewerId: string;
  /** Asks to remove the credit; the button is passed so focus can go back to it. */
  onRemove?(credit: Credit, button: HTMLButtonElement): void;
  /** The credit as stored once its kind changed, so the board can regroup and recount it. */
  onKindChanged?(credit: Credit): void;
  /** The card just moved to its new kind's group: focus goes back to its kind, not to the page. */
  focusKind?: boolean;
}) {
  const styles = useStyles();
  const long = credit.message.length > CLAMP_CHARS;
  const [expanded, setExpanded] = useState(false);
  const [endorsers, setEndorsers] = useState(credit.endorsedBy);
  const [busy, setBusy] = useState(false);
  const [reveal, setReveal] = useState(false);
  const seenById = useId();
  const endorsed = endorsers.some((p) => p.userId === viewerId);
  const count = endorsers.length;
  const [problem, setProblem] = useState<string>();
  const involved = credit.giver.userId === viewerId || credit.recipients.some((r) => r.userId === viewerId);
  const kindId = useId();
  const [changingKind, setChangingKind] = useState(false);

  const changeKind = async (kind: string) => {
    if (changingKind || !isKind(kind) || kind === credit.kind) return;
    setChangingKind(true);
    setProblem(undefined);
    try {
      onKindChanged?.(await api.changeKind(credit.boardId, credit.id, kind));
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setChangingKind(false);
    }
  };

  // A second click takes it back: "I saw this too" is a toggle, not a one-way stamp.
  const toggle = async () => {
    if (busy || involved) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const result = endorsed ? await api.unendorse(credit.boardId, credit.id) : await api.endorse(credit.boardId, credit.id);
      setEndorsers(result.endorsedBy);
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    // Focusable from script only (tabIndex -1): focus lands on a neighbour when a credit is removed, and on the credit a link opened.
    <Panel
      className={mergeClasses(styles.card, (fresh || linked) && styles.fresh)}
      role="article"
      tabIndex={-1}
      data-credit-id={credit.id}
      aria-label={`${fresh ? 'Just given: credit' : linked ? 'Linked credit' : 'Credit'} to ${names(credit.recipients)}`}
    >
      {fresh ? <Caption1 className={styles.freshLabel}>Just given</Caption1> : linked ? <Caption1 className={styles.freshLabel}>The credit you were linked to</Caption1> : null}
      <PeopleWithAvatars people={credit.recipients} className={styles.who} />
      <Text className={mergeClasses(styles.message, long && !expanded && styles.clamped)}>{credit.message}</Text>
      {long ? (
        <Button className={styles.more} appearance="transparent" size="small" aria-expanded={expanded} onClick={() => setExpanded((e) => !e)}>
          {expanded ? 'Show less' : 'Show more'}
        </Button>
      ) : null}
      <div className={styles.meta}>
        <Caption1>
          from {credit.giver.name} · <time dateTime={credit.createdAt} title={shortDate(credit.createdAt)}>{timeAgo(credit.createdAt)}</time>
        </Caption1>
        {credit.visibility === 'private' ? (
          <Caption1 className={styles.private}>
            <LockClosed16Regular aria-hidden /> Private
          </Caption1>
        ) : null}
        <EvidenceLine evidence={credit.evidence} />
      </div>
      <div className={styles.footer} onMouseEnter={() => setReveal(true)} onMouseLeave={() => setReveal(false)} onFocus={() => setReveal(true)} onBlur={() => setReveal(false)}>
        <div className={styles.buttons}>
          <Button
            size="small"
            appearance={endorsed ? 'primary' : 'secondary'}
            icon={<Eye20Regular />}
            disabledFocusable={busy || involved}
            aria-pressed={involved ? undefined : endorsed}
            aria-describedby={count ? seenById : undefined}
            title={involved ? 'You are part of this credit' : endorsed ? 'You saw this too; press again to take it back' : 'Say you saw this work too'}
            onClick={toggle}
          >
            I saw this too{count ? ` · ${count}` : ''}
          </Button>
          {onRemove ? (
            <Button
              size="small"
              appearance="subtle"
              icon={<Delete20Regular />}
              aria-label={`Remove the credit to ${names(credit.recipients)}`}
              onClick={(e) => onRemove(credit, e.currentTarget)}
            >
              Remove
            </Button>
          ) : null}
          {linkFor ? (
            <CopyLinkButton link={() => linkFor(credit)} label={`Copy link to the credit to ${names(credit.recipients)}`}>
              Copy link
            </CopyLinkButton>
          ) : null}
        </div>
        {mayChangeKind(credit, { userId: viewerId }) ? (
          <div className={styles.kind}>
            <Caption1 as="span" id={kindId}>
              Change kind
            </Caption1>
            <KindSelect labelledBy={kindId} kind={credit.kind} disabled={changingKind} focus={focusKind} onChange={(kind) => void changeKind(kind)} />
          </div>
        ) : null}
        {count ? (
          <Caption1 id={seenById} className={reveal ? styles.seenBy : styles.seenByHidden}>
            {seenByText(endorsers, viewerId)}
          </Caption1>
        ) : null}
        {problem ? (
          <Caption1 role="alert" className={styles.problem}>
            {problem}
          </Caption1>
        ) : null}
      </div>
    </Panel>
  );
});
