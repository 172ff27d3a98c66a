import { Button } from '@fluentui/react-button';
import { FluentProvider } from '@fluentui/react-provider';
import { Spinner } from '@fluentui/react-spinner';
import { Text, Title2 } from '@fluentui/react-text';
import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, tokens } from '@fluentui/react-theme';
import { makeStyles } from '@griffel/react';
import { useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BoardApi, type TokenSource } from '../../core/browser';
import { BoardApp } from './board-app';
import { type LocalPeople, type LocalPerson, fetchLocalPeople, localTokens, rememberPerson, rememberedPerson } from './local-session';
import { LocalSignIn } from './local-sign-in';
import { lazyPiece } from './lazy-piece';
import type { FirstLoad } from './board-opening';
import type { TabStart } from './main';
import { type TeamsHost, type ThemeName, isConfigurationPage } from './teams';

// In a meeting's side panel or on its stage only: the board's first paint never waits for it.
const MeetingView = lazyPiece('Noticed for the meeting', () => import('./meeting-view'), <Spinner label="Loading the board…" />);

const THEMES = { light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

const useStyles = makeStyles({
  page: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground1 },
  centre: { display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', gap: tokens.spacingVerticalM, minHeight: '60vh', padding: tokens.spacingHorizontalXXL, textAlign: 'center' },
});

type State =
  | { step: 'connecting' }
  | { step: 'teams'; host: TeamsHost; api?: BoardApi; first?: FirstLoad }
  | { step: 'pick'; local: LocalPeople }
  | { step: 'local'; local: LocalPeople; person: LocalPerson; picked?: boolean }
  | { step: 'outside' };

/** Theme outside Teams: `?theme=` when given, else the browser's forced colours or colour scheme. */
function browserTheme(): ThemeName {
  const asked = new URLSearchParams(window.location.search).get('theme');
  if (asked === 'light' || asked === 'dark' || asked === 'contrast') return asked;
  if (window.matchMedia?.('(forced-colors: active)').matches) return 'contrast';
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Renders the tab into #root once the host has answered (in Teams the board's first load is under way). */
export function startBoot(start: TabStart): void {
  const container = document.getElementById('root');
  if (container) createRoot(container).render(<Boot start={start} />);
}

/** Shows the board in Teams, or local sign-in in a browser. */
export function Boot({ start }: { start: TabStart }) {
  const styles = useStyles();
  const { host } = start;
  const [state, setState] = useState<State>(() => (host.kind === 'teams' ? { step: 'teams', host, api: start.api, first: start.first } : { step: 'connecting' }));
  const [theme, setTheme] = useState<ThemeName>(host.kind === 'teams' ? host.theme : 'light');

  useEffect(() => {
    if (host.kind === 'teams') host.onThemeChange(setTheme);
  }, [host]);

  useEffect(() => {
    if (host.kind === 'teams') return;
    let cancelled = false;
    (async () => {
      setTheme(browserTheme());
      const local = await fetchLocalPeople();
      if (cancelled) return;
      if (!local) return setState({ step: 'outside' });
      const person = rememberedPerson(local.people);
      setState(person ? { step: 'local', local, person } : { step: 'pick', local });
    })();
    return () => {
      cancelled = true;
    };
  }, [host]);

  useEffect(() => {
    if (state.step !== 'pick' && state.step !== 'local') return;
    const media = ['(prefers-color-scheme: dark)', '(forced-colors: active)'].map((q) => window.matchMedia?.(q)).filter(Boolean) as MediaQueryList[];
    const follow = () => setTheme(browserTheme());
    media.forEach((m) => m.addEventListener('change', follow));
    return () => media.forEach((m) => m.removeEventListener('change', follow));
  }, [state.step]);

  const tokensFor: TokenSource | undefined = useMemo(() => {
    if (state.step === 'teams') return state.host.getToken;
    if (state.step === 'local') return localTokens(state.local.tenantId, state.person);
    return undefined;
  }, [state]);
  const api = useMemo(() => {
    if (state.step === 'teams' && state.api) return state.api;
    return tokensFor ? new BoardApi(tokensFor, 'tab') : undefined;
  }, [state, tokensFor]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    // Scrollbars and the browser's own parts of controls follow the theme, not the browser's
    // preference; with forced colours they already follow the person's palette, which wins.
    const forced = window.matchMedia?.('(forced-colors: active)').matches;
    document.documentElement.style.colorScheme = forced ? '' : theme === 'light' ? 'light' : 'dark';
  }, [theme]);

  let body;
  if (state.step === 'connecting') {
    body = (
      <div className={styles.centre}>
        <Spinner label="Connecting to Noticed…" />
      </div>
    );
  } else if (state.step === 'teams' && isConfigurationPage()) {
    body = <BoardTabSetup host={state.host} />;
  } else if (state.step === 'outside') {
    body = (
      <main className={styles.centre}>
        <Title2 as="h1">Open Noticed in Microsoft Teams</Title2>
        <Text>This board runs as a tab in your team. Add the Noticed app to a team, then open its Board tab.</Text>
      </main>
    );
  } else if (state.step === 'pick') {
    body = (
      <LocalSignIn
        people={state.local.people}
        onPick={(person) => {
          rememberPerson(person);
          setState({ step: 'local', local: state.local, person, picked: true });
        }}
      />
    );
  } else if (state.step === 'teams' && state.host.meetingView && api) {
    body = <MeetingView view={state.host.meetingView} api={api} boardHints={state.host.boardHints} first={state.first} onRendered={state.host.notifyRendered} />;
  } else if (api) {
    const local = state.step === 'local' ? state : undefined;
    body = (
      <BoardApp
        key={local?.person.userId ?? 'teams'}
        api={api}
        boardHints={state.step === 'teams' ? state.host.boardHints : [state.local.boardId]}
        filterLink={state.step === 'teams' ? state.host.filterLink : window.location.search}
        first={state.step === 'teams' ? state.first : undefined}
        onRendered={state.step === 'teams' ? state.host.notifyRendered : undefined}
        teamsLink={state.step === 'teams' ? state.host.linkTarget : undefined}
        focusOnLoad={local?.picked}
        switchPerson={
          local
            ? (
                <Button
                  appearance="subtle"
                  onClick={() => {
                    rememberPerson(undefined);
                    setState({ step: 'pick', local: local.local });
                  }}
                >
                  Switch person
                </Button>
              )
            : undefined
        }
      />
    );
  }

  return (
    <FluentProvider theme={THEMES[theme]} data-theme={theme}>
      {/* Styles on an inner element: Fluent copies the provider's classes onto every portal (menus, dialogs). */}
      <div className={styles.page}>{body}</div>
    </FluentProvider>
  );
}

/** The configuration page Teams shows when someone adds the board as a tab: nothing to choose, just Save. */
function BoardTabSetup({ host }: { host: TeamsHost }) {
  const styles = useStyles();
  useEffect(() => {
    host.offerBoardTab();
    host.notifyRendered();
  }, [host]);
  return (
    <main className={styles.centre}>
      <Title2 as="h1">Add the Noticed board</Title2>
      <Text>
        {host.inMeeting
          ? 'The board shows the credits of this meeting’s chat by kind of work. In the meeting, open it in the side panel to give credit while people talk, and a lead can share the stand-up to the stage. Select Save to add it.'
          : "The board shows this team's credits by kind of work, with a stand-up mode and, for leads, who has gone unnoticed. Select Save to add it."}
      </Text>
    </main>
  );
}
