import { EntraTokens, type LocalDirectory, LocalTokens, localDirectory, rememberLocalSession, rememberedLocalSession } from './auth';
import { AUTH_CONFIG } from './auth-config';
import { OutlookError, mailboxUser, officeReady, prefersDarkTheme, readCurrentMessage } from './outlook';
import { LAST_BOARD_KEY, type Opening, openPane } from './pane-opening';
import { threadParticipants } from './participants';

function stored(key: string): string | undefined {
  try {
    return window.localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

// This entry holds no React or Fluent UI: evaluating the pane's view blocks the page for longer
// than the first requests take, so they go out before it is evaluated, not after.
async function start(): Promise<void> {
  const host = document.getElementById('root') as HTMLElement;
  // A person who signed in locally before needs no directory, which only serves choosing who to
  // be: their token is asked for at once, and its answer says local mode is still on.
  const session = rememberedLocalSession(window.localStorage);
  const remembered = session && new LocalTokens(session.tenantId, session.person);
  // Otherwise the directory is asked for now; its answer says whether the server runs in local mode.
  const local = remembered ? undefined : localDirectory();
  // A build set up for Entra sign-in needs MSAL for its first token: its code loads now, beside
  // Office.js and the message, instead of after the first render.
  if (AUTH_CONFIG.clientId) void import('@azure/msal-browser').catch(() => undefined);
  // The pane renders only after Office.onReady: before that Office.context is not there to read.
  const ready = officeReady();
  const mail = ready.then(() => readCurrentMessage());
  const emails = mail.then((m) => threadParticipants(m, mailboxUser()?.emailAddress).map((p) => p.email));
  emails.catch(() => undefined);
  let opening: Opening | undefined = remembered
    ? await remembered.token().then(
        () => openPane(remembered, stored(LAST_BOARD_KEY), emails),
        () => undefined,
      )
    : undefined;
  const view = import('./pane-root');
  try {
    await ready;
    let directory: LocalDirectory | undefined;
    if (session && opening) {
      // The pane shows the sign-in only to a person not yet signed in, so the remembered one is all of the directory it needs.
      directory = { tenantId: session.tenantId, boardId: session.boardId, people: [session.person] };
    } else {
      // Refused (a server no longer in local mode, or another issuer): forgotten, so the person chooses again.
      if (session) rememberLocalSession(window.localStorage, undefined);
      directory = await (local ?? localDirectory());
      // Outside local mode the first requests start now, beside the message read; Entra's nested
      // app authentication needs Office ready, so this is as early as they can.
      if (!directory) opening = openPane(new EntraTokens(), stored(LAST_BOARD_KEY), emails);
    }
    const message = await mail;
    const { showPane } = await view;
    // A remembered person's token is in hand, so their first answers, in flight since the start,
    // are at most a round trip away: the first render waits for them and shows them. Entra's first
    // token may need the person (a pop-up or a dialog), so there the pane shows itself first.
    if (remembered && opening?.source === remembered) await opening.answered;
    let entra = opening?.source instanceof EntraTokens ? opening.source : undefined;
    showPane(host, { mail: message, user: mailboxUser(), local: directory, opening, entra: () => (entra ??= new EntraTokens()) }, prefersDarkTheme());
  } catch (error) {
    const message = error instanceof OutlookError ? error.message : 'Noticed could not read this message. Close the pane and open it again.';
    const { showFailure } = await view;
    showFailure(host, message);
  }
}

void start();

// An ES module to esbuild: a file with imports but no exports, in a package.json that says
// "commonjs" (the server's), is bundled as CommonJS, and every module it imports is then wrapped
// in a lazy initializer, which cost each opening of the pane about 10 ms of evaluation.
export {};
