import { MessageBar, MessageBarBody } from '@fluentui/react-message-bar';
import { FluentProvider } from '@fluentui/react-provider';
import { webDarkTheme, webLightTheme } from '@fluentui/react-theme';
import { createRoot } from 'react-dom/client';
import { EntraTokens, type LocalDirectory, LocalTokens, localDirectory, rememberLocalSession, rememberedLocalSession } from './auth';
import { AUTH_CONFIG } from './auth-config';
import { CreditPane } from './credit-pane';
import { OutlookError, mailboxUser, officeReady, prefersDarkTheme, readCurrentMessage } from './outlook';

// The pane renders only after Office.onReady: before that Office.context is not there to read.
async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root') as HTMLElement);
  // A person who signed in locally before needs no directory, which only serves choosing who to
  // be: their token is asked for while Office.js initializes, and its answer says local mode is on.
  const session = rememberedLocalSession(window.localStorage);
  const remembered = session && new LocalTokens(session.tenantId, session.person);
  const rememberedOk = remembered?.token().then(
    () => true,
    () => false,
  );
  // Otherwise the directory is asked for now; its answer says whether the server runs in local mode.
  const local = remembered ? undefined : localDirectory();
  // A build set up for Entra sign-in needs MSAL for its first token: its code loads now, beside
  // Office.js and the message, instead of after the first render.
  if (AUTH_CONFIG.clientId) void import('@azure/msal-browser').catch(() => undefined);
  try {
    await officeReady();
    let directory: LocalDirectory | undefined;
    let signedIn: LocalTokens | undefined;
    if (session && (await rememberedOk)) {
      // The pane shows the sign-in only to a person not yet signed in, so the remembered one is all of the directory it needs.
      directory = { tenantId: session.tenantId, boardId: session.boardId, people: [session.person] };
      signedIn = remembered;
    } else {
      // Refused (a server no longer in local mode, or another issuer): forgotten, so the person chooses again.
      if (session) rememberLocalSession(window.localStorage, undefined);
      directory = await (local ?? localDirectory());
    }
    let entra: EntraTokens | undefined;
    // Outside local mode the first token is asked for now, beside the message read; Entra's
    // nested app authentication needs Office ready, so this is as early as it can start.
    if (!directory) void (entra = new EntraTokens()).token().catch(() => undefined);
    const mail = await readCurrentMessage();
    const dark = prefersDarkTheme();
    const theme = dark ? webDarkTheme : webLightTheme;
    // The page around the pane (pane.css) follows Office's theme too, not only the pane's own components.
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    root.render(
      <FluentProvider theme={theme}>
        <CreditPane mail={mail} user={mailboxUser()} local={directory} signedIn={signedIn} entra={() => (entra ??= new EntraTokens())} />
      </FluentProvider>,
    );
  } catch (error) {
    const message = error instanceof OutlookError ? error.message : 'Noticed could not read this message. Close the pane and open it again.';
    root.render(
      <FluentProvider theme={webLightTheme}>
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{message}</MessageBarBody>
        </MessageBar>
      </FluentProvider>,
    );
  }
}

void start();
