import { createStandardPublicClientApplication } from '@azure/msal-browser';
import { AUTH_CONFIG } from './auth-config';
import { messageParent, officeReady } from './outlook';

// The fallback sign-in, opened by the pane in an Office dialog when nested app authentication
// and MSAL's pop-up are both unavailable: a full-page redirect sign-in, then the token goes
// back to the pane through Office.js and the dialog closes.

async function main(): Promise<void> {
  await officeReady().catch(() => undefined);
  const status = document.getElementById('status');
  try {
    const pca = await createStandardPublicClientApplication({
      auth: { clientId: AUTH_CONFIG.clientId, authority: AUTH_CONFIG.authority, redirectUri: window.location.href.split('?')[0].split('#')[0] },
      cache: { cacheLocation: 'localStorage' },
    });
    const result = await pca.handleRedirectPromise();
    if (result?.accessToken) {
      messageParent(JSON.stringify({ accessToken: result.accessToken }));
      return;
    }
    await pca.acquireTokenRedirect({ scopes: [AUTH_CONFIG.scope] });
  } catch {
    if (status) status.textContent = 'Sign-in did not finish. Close this window and try again.';
    messageParent(JSON.stringify({ error: 'sign_in_failed' }));
  }
}

void main();

// An ES module to esbuild, like the pane's entry (taskpane.tsx says why).
export {};
