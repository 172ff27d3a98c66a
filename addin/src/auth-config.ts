/** Set at build time by addin/build.mjs from NOTICED_CLIENT_ID, NOTICED_API_SCOPE and NOTICED_AUTHORITY. */
declare const __NOTICED_AUTH__: { clientId: string; scope: string; authority: string } | undefined;

/** The Entra app the pane signs in to and the API scope it asks for. */
export interface AuthConfig {
  clientId: string;
  scope: string;
  authority: string;
}

/** The build's Entra settings; an empty client id means the build cannot sign in with Entra. */
export const AUTH_CONFIG: AuthConfig =
  typeof __NOTICED_AUTH__ === 'object' && __NOTICED_AUTH__
    ? __NOTICED_AUTH__
    : { clientId: '', scope: '', authority: 'https://login.microsoftonline.com/organizations' };

/** Where the fallback sign-in dialog lives, next to the pane. */
export const DIALOG_PATH = 'auth-dialog.html';
