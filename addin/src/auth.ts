import type { IPublicClientApplication } from '@azure/msal-browser';
import { type TokenSource, cachedTokens } from '../../core/browser';
import { AUTH_CONFIG, type AuthConfig, DIALOG_PATH } from './auth-config';
import { authContextHint, canOpenDialog, dialogMessage } from './outlook';

/** A way of signing in that hands out bearer tokens for the Noticed API. */
export interface TokenProvider {
  token: TokenSource;
}

/** A person the local issuer can sign in as (GET /api/v1/dev/people). */
export interface LocalPerson {
  userId: string;
  name: string;
  role: string;
}

/** The local issuer's directory, present only when the server runs in local mode. */
export interface LocalDirectory {
  tenantId: string;
  boardId: string;
  people: LocalPerson[];
}

/** A local sign-in kept from last time: enough to ask for a token without the directory. */
export interface LocalSession {
  tenantId: string;
  boardId: string;
  person: LocalPerson;
}

/** localStorage key of the local sign-in (a LocalSession as JSON). */
const LOCAL_SESSION_KEY = 'noticed.addin.localSession';

/** The local sign-in kept by rememberLocalSession, if it is there and whole. */
export function rememberedLocalSession(storage: Pick<Storage, 'getItem'> | undefined): LocalSession | undefined {
  try {
    const kept = JSON.parse(storage?.getItem(LOCAL_SESSION_KEY) ?? 'null') as Partial<LocalSession> | null;
    const whole = [kept?.tenantId, kept?.boardId, kept?.person?.userId, kept?.person?.name, kept?.person?.role].every((v) => typeof v === 'string');
    return whole ? (kept as LocalSession) : undefined;
  } catch {
    // Storage off, or a value this build cannot read: the person chooses again.
    return undefined;
  }
}

/** Keeps a local sign-in for the next opening, or forgets it. */
export function rememberLocalSession(storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined, session: LocalSession | undefined): void {
  try {
    if (session) storage?.setItem(LOCAL_SESSION_KEY, JSON.stringify(session));
    else storage?.removeItem(LOCAL_SESSION_KEY);
  } catch {
    // Storage can be off in some hosts; remembering is a convenience, not a need.
  }
}

/** A sign-in problem in words a person can act on. */
export class SignInError extends Error {}

/** The local directory when the server is in local mode; undefined against a production server. */
export async function localDirectory(base = '/api/v1'): Promise<LocalDirectory | undefined> {
  try {
    const res = await fetch(`${base}/dev/people`, { headers: { accept: 'application/json' } });
    if (!res.ok) return undefined;
    const body = (await res.json()) as LocalDirectory;
    return Array.isArray(body?.people) ? body : undefined;
  } catch {
    return undefined;
  }
}

/** Tokens from the server's local issuer for one demo person (local mode only). */
export class LocalTokens implements TokenProvider {
  readonly token: TokenSource = cachedTokens(() => this.fetchToken());

  constructor(
    private readonly tenantId: string,
    readonly person: LocalPerson,
    private readonly base = '/api/v1',
  ) {}

  private async fetchToken(): Promise<string> {
    const res = await fetch(`${this.base}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: this.tenantId, userId: this.person.userId, name: this.person.name }),
    }).catch(() => undefined);
    const body = res?.ok ? ((await res.json()) as { accessToken?: string }) : undefined;
    if (!body?.accessToken) throw new SignInError('Local sign-in failed. Is the Noticed server still running?');
    return body.accessToken;
  }
}

/**
 * Entra tokens through nested app authentication: Outlook signs the user in and MSAL asks it
 * for a token for the API. Where NAA is unavailable MSAL falls back to a standard client, and
 * when its pop-up cannot open inside the host an Office dialog signs in instead.
 * One MSAL client per pane, so its cache serves every later call.
 */
export class EntraTokens implements TokenProvider {
  private pca?: Promise<IPublicClientApplication>;
  private loginHint?: string;
  /** However a token was got (silently, by pop-up or by dialog), it is kept until shortly before it expires. */
  readonly token: TokenSource = cachedTokens(() => this.signIn());

  constructor(private readonly config: AuthConfig = AUTH_CONFIG) {}

  private async signIn(): Promise<string> {
    if (!this.config.clientId) throw new SignInError('This copy of Noticed is not set up for Microsoft 365 sign-in. Ask your administrator.');
    const pca = await this.client();
    const request = { scopes: [this.config.scope], loginHint: this.loginHint };
    const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
    try {
      const result = account ? await pca.acquireTokenSilent({ ...request, account }) : await pca.ssoSilent(request);
      pca.setActiveAccount(result.account);
      return result.accessToken;
    } catch {
      // Silent sign-in needs consent or an interaction: fall through to a prompt.
    }
    try {
      const result = await pca.acquireTokenPopup(request);
      pca.setActiveAccount(result.account);
      return result.accessToken;
    } catch (error) {
      if (!canOpenDialog()) throw new SignInError('Sign-in did not finish. Try again, and allow the sign-in window if Outlook asks.');
      return this.tokenFromDialog(error);
    }
  }

  private client(): Promise<IPublicClientApplication> {
    this.pca ??= (async () => {
      // Loaded on demand: local mode never needs MSAL, and the pane is ready sooner without it.
      const { createNestablePublicClientApplication } = await import('@azure/msal-browser');
      this.loginHint = await authContextHint();
      return createNestablePublicClientApplication({
        auth: { clientId: this.config.clientId, authority: this.config.authority },
        cache: { cacheLocation: 'localStorage' },
      });
    })();
    return this.pca;
  }

  private async tokenFromDialog(_popupError: unknown): Promise<string> {
    const url = new URL(DIALOG_PATH, window.location.href).toString();
    const message = await dialogMessage(url);
    let parsed: { accessToken?: string };
    try {
      parsed = JSON.parse(message);
    } catch {
      parsed = {};
    }
    if (!parsed.accessToken) throw new SignInError('Sign-in did not finish. Try again.');
    return parsed.accessToken;
  }
}
