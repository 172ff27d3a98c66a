import { Button } from '@fluentui/react-button';
import { MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-message-bar';
import { Spinner } from '@fluentui/react-spinner';
import { Body1, Caption1, Subtitle1, Text, Title3 } from '@fluentui/react-text';
import { tokens } from '@fluentui/react-theme';
import { makeStyles } from '@griffel/react';
import { AddCircle24Regular } from '@fluentui/react-icons';
import { type ComponentProps, type RefObject, startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type ApiRole, type BoardApi, type Credit, type Kind, KINDS, type Me, type RosterMember, describeError, mayRemove } from '../../core/browser';
import { CopyLinkButton } from './copy-link';
import { type FeedPage, feedFilters } from './feed-filters';
import { type FilterState, isUnfiltered, linkForFilters } from './filter-link';
import { CreditCard, preloadKindSelect } from './credit-card';
import { useFilterRowStyles } from './filter-row';
import { creditSummary } from './format';
import { KIND_ICONS } from './kind-style';
import { lazyPiece } from './lazy-piece';
import { Panel } from './panel';

const BoardFilters = lazyPiece<ComponentProps<typeof import('./board-extras').BoardFilters>>('The filters', () => import('./board-extras').then((m) => ({ default: m.BoardFilters })), <FiltersPlaceholder />);
// Loaded only when a link names a credit, with the views beside the board (board-app.tsx says why).
const LinkedCreditCheck = lazyPiece<ComponentProps<typeof import('./secondary-views').LinkedCreditCheck>>('The linked credit', () => import('./secondary-views').then((m) => ({ default: m.LinkedCreditCheck })));
// Loaded on the first Remove: most visits never remove a credit.
const RemoveCreditDialog = lazyPiece('Remove credit', () => import('./remove-credit-dialog'));

/** Starts fetching the pieces beside the board (the filters, Change kind, Fluent's view tabs), so they are there when it first renders. */
export function preloadBoardPieces(): void {
  BoardFilters.preload();
  preloadKindSelect();
}

/** The board never loads more than this many credits for one set of filters. */
const MAX_CREDITS = 1000;
/** Cards a group shows before "Show more", so a busy board stays quick to render and scan. */
const FIRST_SHOWN = 6;
const MORE_STEP = 24;
/**
 * Cards the board's first render draws, more than a first screen holds at any width; the rest
 * follow straight after in a background render React can pause for a click. Drawn in one go,
 * the cards below the screen held the first ones' buttons back (board of 500: 735 → 666 ms,
 * visit by visit).
 */
const FIRST_DRAWN = 12;

const useStyles = makeStyles({
  summary: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM, marginBottom: tokens.spacingVerticalM, color: tokens.colorNeutralForeground2 },
  summaryText: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  linked: { listStyleType: 'none', margin: `0 0 ${tokens.spacingVerticalXXL}`, padding: 0, maxWidth: '640px' },
  group: { marginBottom: tokens.spacingVerticalXXL },
  groupHead: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, marginBottom: tokens.spacingVerticalXS },
  groupHint: { display: 'block', marginBottom: tokens.spacingVerticalM, color: tokens.colorNeutralForeground2 },
  // min(…, 100%): a column never asks for more than the board has, at 280–320 px (Teams mobile, a side panel).
  grid: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(min(300px, 100%), 1fr))', gap: tokens.spacingHorizontalL },
  more: { marginTop: tokens.spacingVerticalM },
  empty: { maxWidth: '640px', padding: tokens.spacingHorizontalXXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, alignItems: 'flex-start' },
  example: {
    fontFamily: tokens.fontFamilyMonospace,
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground1,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    overflowWrap: 'anywhere',
  },
});

/** The board: credits grouped by kind, with filters for period, kind and person. */
export function BoardView({ api, boardId, me, role, roster, revision, fresh, filters, onFilters, onGiveCredit, onRemoved, takeFirstPage, heading, linked, linkTo }: {
  api: BoardApi;
  boardId: string;
  me: Me;
  /** The filters shown; the app keeps them, so they survive a visit to another view and sit in the link. */
  filters: FilterState;
  /** Changes some of the filters (Clear changes all three at once). */
  onFilters(change: Partial<FilterState>): void;
  /** The viewer's role on this board. */
  role: ApiRole;
  roster: RosterMember[];
  revision: number;
  /** The credit just given here, shown highlighted and scrolled to once it is on the board. */
  fresh?: string;
  onGiveCredit(recipients?: string[]): void;
  /** After a credit was removed from the board. */
  onRemoved?(credit: Credit): void;
  /** The first page for the opening filters, fetched early, or undefined once taken. */
  takeFirstPage?: () => FeedPage | undefined;
  /** Where focus goes when the last credit on show is removed. */
  heading?: RefObject<HTMLElement | null>;
  /** The credit a link opened the board at: scrolled to and highlighted, wherever the filters are. */
  linked?: string;
  /** The shareable link for a board query (`credit=…`, `period=30&kind=prevented`): a Teams deep link in Teams. */
  linkTo?(query: string): Promise<string>;
}) {
  const styles = useStyles();
  const { period, kind, person } = filters;
  // The opening page, when the app fetched it beside /me: the first render shows its cards, unless a link opened other filters.
  const [opening] = useState(() => {
    const page = takeFirstPage?.();
    return isUnfiltered(filters) ? page : undefined;
  });
  const unused = useRef(opening);
  const [credits, setCredits] = useState<Credit[]>(opening?.items ?? []);
  const [loading, setLoading] = useState(!opening);
  const [more, setMore] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [shown, setShown] = useState<Partial<Record<Kind, number>>>({});
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const filters = feedFilters(period, kind, person);
    const prefetched = unused.current;
    unused.current = undefined;
    if (!prefetched) setLoading(true);
    setProblem(undefined);
    // Kept as it is when nothing was shown more: a new empty object would render the board again for nothing.
    setShown((s) => (Object.keys(s).length ? {} : s));
    (async () => {
      try {
        // The first page renders at once; the rest streams in behind it.
        let page = prefetched ?? (await api.recognitions(boardId, filters));
        if (cancelled) return;
        let all = page.items;
        setCredits(all);
        setLoading(false);
        while (page.nextCursor && all.length < MAX_CREDITS) {
          setMore(true);
          page = await api.recognitions(boardId, filters, page.nextCursor);
          if (cancelled) return;
          all = all.concat(page.items);
          setCredits(all);
        }
      } catch (error) {
        if (cancelled) return;
        // The cards on screen belong to the previous filters: leaving them under the new ones would misreport the board.
        setCredits([]);
        setProblem(describeError(error));
      } finally {
        if (!cancelled) {
          setLoading(false);
          setMore(false);
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [api, boardId, period, kind, person, revision, attempt]);

  const [removing, setRemoving] = useState<{ credit: Credit; button: HTMLButtonElement }>();
  const askToRemove = useCallback((credit: Credit, button: HTMLButtonElement) => setRemoving({ credit, button }), []);
  const section = useRef<HTMLElement>(null);
  const removed = useCallback(
    (credit: Credit) => {
      // Its neighbours in reading order, found while the card is still on the page: without this,
      // focus falls to the page with the dialog and a keyboard user starts again from the top.
      const cards = [...(section.current?.querySelectorAll<HTMLElement>('[data-credit-id]') ?? [])];
      const at = cards.findIndex((el) => el.dataset.creditId === credit.id);
      const next = at < 0 ? undefined : (cards[at + 1] ?? cards[at - 1]);
      setRemoving(undefined);
      setCredits((all) => all.filter((c) => c.id !== credit.id));
      onRemoved?.(credit);
      requestAnimationFrame(() => (next?.isConnected ? next : heading?.current)?.focus());
    },
    [onRemoved, heading],
  );
  // The card moves to its new kind's group, and the groups' counts follow.
  const [movedId, setMovedId] = useState<string>();
  const kindChanged = useCallback((credit: Credit) => {
    setCredits((all) => all.map((c) => (c.id === credit.id ? credit : c)));
    setMovedId(credit.id);
  }, []);
  const keep = useCallback(() => {
    const button = removing?.button;
    setRemoving(undefined);
    // Back to the card's Remove, so a keyboard user goes on from where they were.
    requestAnimationFrame(() => button?.focus());
  }, [removing]);

  // The linked credit is asked for on its own (LinkedCreditCheck): it may be outside the filters, or not be there at all.
  const [linkedCredit, setLinkedCredit] = useState<Credit>();
  const linkedInFeed = linkedCredit ? credits.find((c) => c.id === linkedCredit.id) : undefined;
  // Scrolled to and focused once, where it first shows, so a reader lands on it too.
  const reachedLink = useRef(false);
  const linkedItem = useCallback((item: HTMLElement | null) => {
    if (!item || reachedLink.current) return;
    reachedLink.current = true;
    item.scrollIntoView({ block: 'center' });
    item.querySelector<HTMLElement>('[data-credit-id]')?.focus({ preventScroll: true });
  }, []);
  const copyCreditLink = useMemo(() => linkTo && ((credit: Credit) => linkTo(new URLSearchParams({ credit: credit.id }).toString())), [linkTo]);

  const groups = useMemo(() => {
    const byKind = new Map<Kind, Credit[]>(KINDS.map((k) => [k.id, []]));
    for (const c of credits) byKind.get(c.kind)?.push(c);
    return KINDS.map((k) => ({ info: k, credits: byKind.get(k.id) ?? [] })).filter((g) => g.credits.length);
  }, [credits]);

  // Scrolled to once per credit given: the giver sees where it landed, later reloads leave the page where it is.
  const scrolledTo = useRef<string>(undefined);
  const freshItem = useCallback(
    (item: HTMLLIElement | null) => {
      if (!item || !fresh || scrolledTo.current === fresh) return;
      scrolledTo.current = fresh;
      item.scrollIntoView({ block: 'center' });
    },
    [fresh],
  );

  const [drawnAll, setDrawnAll] = useState(false);
  useEffect(() => {
    if (credits.length && !drawnAll) startTransition(() => setDrawnAll(true));
  }, [credits.length, drawnAll]);
  let toDraw = drawnAll ? Infinity : FIRST_DRAWN;

  const filtered = !isUnfiltered(filters);
  const behind = credits.filter((c) => KINDS.find((k) => k.id === c.kind)?.behindTheScenes).length;

  return (
    <section ref={section} aria-label="Credits">
      <BoardFilters
        period={period}
        kind={kind}
        person={person}
        roster={roster}
        onPeriod={(value) => onFilters({ period: value })}
        onKind={(value) => onFilters({ kind: value })}
        onPerson={(value) => onFilters({ person: value })}
      />

      {removing ? <RemoveCreditDialog api={api} credit={removing.credit} onCancel={keep} onRemoved={removed} /> : null}

      {linked ? <LinkedCreditCheck api={api} boardId={boardId} creditId={linked} onFound={setLinkedCredit} /> : null}

      {linkedCredit && !linkedInFeed && !loading && !more ? (
        <ul className={styles.linked} aria-label="The credit you were linked to">
          <li ref={linkedItem}>
            <CreditCard credit={linkedCredit} api={api} viewerId={me.user.userId} linked linkFor={copyCreditLink} />
          </li>
        </ul>
      ) : null}

      {problem ? (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{problem}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => setAttempt((n) => n + 1)}>Retry</Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}

      {problem ? null : loading ? (
        <Spinner label="Loading credits…" />
      ) : !credits.length ? (
        <EmptyBoard filtered={filtered} onGiveCredit={() => onGiveCredit(person ? [person] : [])} />
      ) : (
        <>
          <div className={styles.summary}>
            <span className={styles.summaryText} aria-live="polite">
              <Text data-testid="board-summary">{creditSummary(credits.length, behind)}</Text>
              {more ? <Spinner size="extra-tiny" label="Loading more…" /> : null}
            </span>
            {/* Outside the live summary: "Link copied" is announced once, by the button's own status. */}
            {linkTo ? (
              <CopyLinkButton link={() => linkTo(linkForFilters(filters, '').slice(1))}>
                Copy link to this view
              </CopyLinkButton>
            ) : null}
          </div>
          {groups.map(({ info, credits: list }) => {
            if (toDraw <= 0) return null;
            const opened = shown[info.id] ?? (kind ? MORE_STEP : FIRST_SHOWN);
            // The linked credit is never hidden behind Show more.
            const linkedAt = linkedInFeed?.kind === info.id ? list.indexOf(linkedInFeed) + 1 : 0;
            const limit = Math.max(opened, linkedAt);
            const drawn = Math.min(limit, toDraw);
            toDraw -= drawn;
            const headingId = `kind-${info.id}`;
            return (
              <section key={info.id} className={styles.group} aria-labelledby={headingId} data-kind={info.id}>
                <div className={styles.groupHead}>
                  {KIND_ICONS[info.id]}
                  <Title3 as="h2" id={headingId}>
                    {info.label}
                  </Title3>
                  <Caption1>({list.length})</Caption1>
                </div>
                <Caption1 className={styles.groupHint}>{info.description}</Caption1>
                <ul className={styles.grid}>
                  {list.slice(0, drawn).map((c) => (
                    <li key={c.id} ref={c.id === fresh ? freshItem : c.id === linkedInFeed?.id ? linkedItem : undefined}>
                      <CreditCard credit={c} api={api} viewerId={me.user.userId} fresh={c.id === fresh} linked={c.id === linkedInFeed?.id} linkFor={copyCreditLink} onRemove={mayRemove(c, { userId: me.user.userId, role }) ? askToRemove : undefined} onKindChanged={kindChanged} focusKind={c.id === movedId} />
                    </li>
                  ))}
                </ul>
                {drawnAll && list.length > limit ? (
                  <Button className={styles.more} appearance="secondary" onClick={() => setShown((s) => ({ ...s, [info.id]: limit + MORE_STEP }))}>
                    Show {Math.min(MORE_STEP, list.length - limit)} more of {list.length} in {info.label}
                  </Button>
                ) : null}
              </section>
            );
          })}
        </>
      )}
    </section>
  );
}

/** The filter row's space while its code loads. */
function FiltersPlaceholder() {
  return <div className={useFilterRowStyles().filters} aria-hidden />;
}

/** What a board with no credits says: how to give the first one. */
function EmptyBoard({ filtered, onGiveCredit }: { filtered: boolean; onGiveCredit(): void }) {
  const styles = useStyles();
  return (
    <Panel className={styles.empty} data-testid="empty-board">
      <Subtitle1 as="h2">{filtered ? 'No credits match these filters' : 'No credits yet'}</Subtitle1>
      <Body1>
        Credit the work that made the difference, especially the work nobody sees: the bug caught early, the teammate unblocked, the process made easier.
      </Body1>
      <Body1>In any Teams chat with Noticed, type:</Body1>
      <code className={styles.example}>@Noticed credit @Ana for catching the migration bug before release #caught</code>
      <Body1>or give credit right here.</Body1>
      <Button appearance="primary" icon={<AddCircle24Regular />} onClick={onGiveCredit}>
        Give credit
      </Button>
    </Panel>
  );
}
