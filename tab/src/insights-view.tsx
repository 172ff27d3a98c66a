import { Button } from '@fluentui/react-button';
import { Dropdown, Option } from '@fluentui/react-combobox';
import { Field } from '@fluentui/react-field';
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-message-bar';
import { ProgressBar } from '@fluentui/react-progress';
import { Spinner } from '@fluentui/react-spinner';
import { Body1, Caption1, Subtitle1, Text } from '@fluentui/react-text';
import { tokens } from '@fluentui/react-theme';
import { type GriffelStyle, makeStyles, mergeClasses } from '@griffel/react';
import { AddCircle24Regular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import { ApiError, type BoardApi, type Insights, type Kind, KINDS, describeError } from '../../core/browser';
import { percent, plural, shareTrend, shortDate } from './format';
import { Panel } from './panel';

/** One colour per kind, from the theme's palette so dark and high contrast follow. */
const KIND_COLOURS: Record<Kind, string> = {
  enabled: tokens.colorPaletteBlueBorderActive,
  prevented: tokens.colorPaletteDarkOrangeBorderActive,
  improved: tokens.colorPaletteGreenBorderActive,
  sustained: tokens.colorPaletteBerryBorderActive,
  delivered: tokens.colorPaletteMarigoldBorderActive,
};

/**
 * With forced colours (Windows high contrast) the chart keeps its own colours, so the theme's
 * would be drawn on the system's background unseen: each kind takes a system colour instead,
 * which the person's palette keeps apart from the background and from each other.
 */
const KIND_SYSTEM_COLOURS: Record<Kind, string> = { enabled: 'CanvasText', prevented: 'Highlight', improved: 'LinkText', sustained: 'GrayText', delivered: 'VisitedText' };

const FORCED = '@media (forced-colors: active)';

const kindColourStyles = {} as Record<Kind, GriffelStyle>;
for (const k of KINDS) kindColourStyles[k.id] = { fill: KIND_COLOURS[k.id], backgroundColor: KIND_COLOURS[k.id], [FORCED]: { fill: KIND_SYSTEM_COLOURS[k.id], backgroundColor: KIND_SYSTEM_COLOURS[k.id] } };
const useKindColours = makeStyles(kindColourStyles);

const useStyles = makeStyles({
  // min(): on a phone-width window one column narrower than 320 px, rather than a row that scrolls sideways.
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(320px, 100%), 1fr))', gap: tokens.spacingHorizontalL, alignItems: 'start' },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, '& h2': { margin: 0 } },
  wide: { gridColumn: '1 / -1' },
  big: { fontSize: tokens.fontSizeHero800, lineHeight: tokens.lineHeightHero800, fontWeight: tokens.fontWeightSemibold },
  controls: { marginBottom: tokens.spacingVerticalL },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  legend: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL, listStyleType: 'none', margin: 0, padding: 0 },
  swatch: { display: 'inline-block', width: '12px', height: '12px', marginRight: tokens.spacingHorizontalXS, borderRadius: '2px', verticalAlign: 'middle', forcedColorAdjust: 'none' },
  chart: {
    display: 'block',
    width: '100%',
    forcedColorAdjust: 'none',
    [FORCED]: { '& text': { fill: 'CanvasText' }, '& line': { stroke: 'CanvasText' }, '& rect': { stroke: 'Canvas' } },
  },
  // On a wrapper, not the table: a table grows to fit its cells whatever width it is given, and would widen the page.
  hidden: { position: 'absolute', width: '1px', height: '1px', margin: '-1px', padding: 0, border: 0, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
  muted: { color: tokens.colorNeutralForeground2 },
});

/** Words for a Gini coefficient, so a lead need not know the statistic. */
export function giniInWords(gini: number): string {
  if (gini < 0.2) return 'Credit is spread evenly across the team.';
  if (gini < 0.4) return 'Credit is spread fairly, with some people credited more often than others.';
  if (gini < 0.6) return 'Credit is concentrated: a few people receive much of it.';
  return 'Credit is highly concentrated on very few people.';
}

/** Insights for leads: coverage, kind mix over time, the unnoticed and concentration. A member who reaches it anyway (a role changed meanwhile) is refused politely. */
export default function InsightsView({ api, boardId, onGiveCredit }: { api: BoardApi; boardId: string; onGiveCredit(recipients?: string[]): void }) {
  const styles = useStyles();
  const [days, setDays] = useState(30);
  const [insights, setInsights] = useState<Insights>();
  const [refused, setRefused] = useState(false);
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    let cancelled = false;
    setInsights(undefined);
    setProblem(undefined);
    api.insights(boardId, days).then(
      (result) => !cancelled && setInsights(result),
      (error) => {
        if (cancelled) return;
        if (error instanceof ApiError && error.status === 403) setRefused(true);
        else setProblem(describeError(error));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, boardId, days]);

  if (refused) {
    return (
      <MessageBar intent="info" data-testid="insights-refused">
        <MessageBarBody>
          <MessageBarTitle>Insights are for this board’s leads</MessageBarTitle>
          They show who may be going unnoticed, so they stay private to the leads. You can still see every credit on the board, and give one whenever you notice good work.
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (problem) {
    return (
      <MessageBar intent="error">
        <MessageBarBody>{problem}</MessageBarBody>
      </MessageBar>
    );
  }

  return (
    <section aria-label="Insights" data-testid="insights">
      <Field label="Window" className={styles.controls}>
        <Dropdown value={`Last ${days} days`} selectedOptions={[String(days)]} onOptionSelect={(_e, d) => setDays(Number(d.optionValue ?? 30))} style={{ maxWidth: '220px' }}>
          {[14, 30, 90].map((d) => (
            <Option key={d} value={String(d)}>{`Last ${d} days`}</Option>
          ))}
        </Dropdown>
      </Field>
      {!insights ? (
        <Spinner label="Loading insights…" />
      ) : (
        <div className={styles.grid}>
          <Panel className={styles.card}>
            <Subtitle1 as="h2">Coverage</Subtitle1>
            <Text className={styles.big} data-testid="coverage">
              {insights.creditedCount} of {insights.rosterSize}
            </Text>
            <Body1>people were credited in the last {insights.days} days.</Body1>
            <ProgressBar value={insights.coverage} thickness="large" aria-label={`Coverage ${percent(insights.coverage)}`} />
            <Caption1 className={styles.muted}>
              {plural(insights.totalCredits, 'credit')}; {percent(insights.behindTheScenesShare)} of them for behind-the-scenes work.
            </Caption1>
            {insights.previous && (
              <Body1 data-testid="trend">
                Coverage {percent(insights.coverage)}, {shareTrend(insights.coverage, insights.previous.coverage, insights.days)}. Behind-the-scenes share {percent(insights.behindTheScenesShare)},{' '}
                {shareTrend(insights.behindTheScenesShare, insights.previous.behindTheScenesShare, insights.days)}.
              </Body1>
            )}
          </Panel>

          <Panel className={styles.card}>
            <Subtitle1 as="h2">Concentration</Subtitle1>
            <Text className={styles.big}>{percent(insights.concentration.topFifthShare)}</Text>
            <Body1>of the credit went to the most-credited fifth of the team.</Body1>
            <Body1>{giniInWords(insights.concentration.gini)}</Body1>
            <Caption1 className={styles.muted}>
              Gini coefficient {insights.concentration.gini.toFixed(2)}: 0 means everyone is credited equally, 1 means one person receives all of it.
            </Caption1>
          </Panel>

          <Panel className={styles.card}>
            <Subtitle1 as="h2">Unnoticed</Subtitle1>
            <Caption1 className={styles.muted}>Not credited in the last {insights.days} days. Only leads see this list.</Caption1>
            {insights.unnoticed.length ? (
              <ul className={styles.list} data-testid="unnoticed">
                {insights.unnoticed.map((m) => (
                  <li key={m.userId} className={styles.row}>
                    <span>
                      <Text weight="semibold">{m.name}</Text>
                      <br />
                      <Caption1 className={styles.muted}>{m.daysSinceCredited === undefined ? 'Never credited on this board' : `Last credited ${m.daysSinceCredited} days ago`}</Caption1>
                    </span>
                    <Button size="small" icon={<AddCircle24Regular />} onClick={() => onGiveCredit([m.userId])} aria-label={`Give credit to ${m.name}`}>
                      Give credit
                    </Button>
                  </li>
                ))}
              </ul>
            ) : (
              <Body1>Everyone on the board was credited. Keep it up.</Body1>
            )}
          </Panel>

          <Panel className={mergeClasses(styles.card, styles.wide)}>
            <Subtitle1 as="h2">Kinds of work credited, week by week</Subtitle1>
            <KindMixChart insights={insights} />
          </Panel>
        </div>
      )}
    </section>
  );
}

/** The width the chart is drawn at, in CSS pixels, following its container. */
function useWidth(fallback: number) {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => entry && entry.contentRect.width > 0 && setWidth(Math.round(entry.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/** Below this much room per week the date labels would overlap, so only every few weeks is labelled. */
const LABEL_ROOM = 52;

/** A stacked bar per week (SVG), with a table behind it for screen readers. */
function KindMixChart({ insights }: { insights: Insights }) {
  const styles = useStyles();
  const kindColours = useKindColours();
  const [figure, width] = useWidth(640);
  const weeks = insights.kindMixByWeek;
  if (!weeks.length) return <Body1>No credits in this window yet.</Body1>;
  const totals = weeks.map((w) => KINDS.reduce((sum, k) => sum + w.counts[k.id], 0));
  const max = Math.max(1, ...totals);
  // Drawn at the container's own width, one unit a pixel, so a narrow screen keeps 12 px labels instead of scaling them down.
  const height = 220;
  const axis = 24;
  const slot = width / weeks.length;
  const bar = Math.min(56, slot * 0.6);
  const scale = (height - axis - 24) / max;
  const labelEvery = Math.ceil(LABEL_ROOM / slot);

  return (
    <figure ref={figure} style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} className={styles.chart} role="img" aria-label={`Credits per week by kind, ${weeks.length} weeks; details in the table that follows.`}>
        <line x1={0} x2={width} y1={height - axis} y2={height - axis} stroke={tokens.colorNeutralStroke1} />
        {weeks.map((w, i) => {
          let y = height - axis;
          const x = i * slot + (slot - bar) / 2;
          return (
            <g key={w.weekStart}>
              {KINDS.map((k) => {
                const h = w.counts[k.id] * scale;
                if (!h) return null;
                y -= h;
                return <rect key={k.id} x={x} y={y} width={bar} height={h} className={kindColours[k.id]} stroke={tokens.colorNeutralBackground1} strokeWidth={1} />;
              })}
              {i % labelEvery === 0 ? (
                <text x={x + bar / 2} y={height - 6} textAnchor="middle" fontSize={12} fill={tokens.colorNeutralForeground2}>
                  {shortDate(w.weekStart).replace(/,? \d{4}$/, '')}
                </text>
              ) : null}
              <text x={x + bar / 2} y={y - 4} textAnchor="middle" fontSize={12} fill={tokens.colorNeutralForeground1}>
                {totals[i]}
              </text>
            </g>
          );
        })}
      </svg>
      <ul className={styles.legend} aria-hidden>
        {KINDS.map((k) => (
          <li key={k.id}>
            <span className={mergeClasses(styles.swatch, kindColours[k.id])} />
            <Caption1>{k.label}</Caption1>
          </li>
        ))}
      </ul>
      <div className={styles.hidden}>
        <table>
          <caption>Credits per week by kind</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              {KINDS.map((k) => (
                <th key={k.id} scope="col">
                  {k.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <tr key={w.weekStart}>
                <th scope="row">{shortDate(w.weekStart)}</th>
                {KINDS.map((k) => (
                  <td key={k.id}>{w.counts[k.id]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
