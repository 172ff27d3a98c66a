import { type Address, BODY_MAX_CHARS, type MailSnapshot } from './participants';

// The only module that touches Office.js. Callback APIs become promises here, and nothing
// throws inside an Office callback: a throw there is swallowed by the host and the pane hangs.

/** The signed-in mailbox user, as Outlook knows them. */
export interface MailboxUser {
  displayName: string;
  emailAddress: string;
}

/** Resolves once Office.js has initialized; rejects when Office.js never loaded or the host is not Outlook. */
export async function officeReady(timeoutMs = 10_000): Promise<void> {
  if (typeof Office === 'undefined' || typeof Office.onReady !== 'function') {
    throw new OutlookError('Office.js did not load. Open Noticed from the ribbon in Outlook.');
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OutlookError('Outlook did not get ready in time. Close the pane and open it again.')), timeoutMs);
  });
  try {
    const info = await Promise.race([Office.onReady(), timeout]);
    if (info.host && info.host !== Office.HostType.Outlook) {
      throw new OutlookError('Noticed works in Outlook. Open it from a message you are reading.');
    }
  } finally {
    clearTimeout(timer);
  }
}

/** A problem reading from Outlook, in words a person can act on. */
export class OutlookError extends Error {}

/** The signed-in user, or undefined when Outlook does not say. */
export function mailboxUser(): MailboxUser | undefined {
  const profile = Office.context?.mailbox?.userProfile;
  if (!profile) return undefined;
  return { displayName: profile.displayName ?? '', emailAddress: profile.emailAddress ?? '' };
}

function address(details: Office.EmailAddressDetails | undefined | null): Address | undefined {
  if (!details || typeof details.emailAddress !== 'string') return undefined;
  return { name: typeof details.displayName === 'string' ? details.displayName : '', email: details.emailAddress };
}

function addresses(list: Office.EmailAddressDetails[] | undefined | null): Address[] {
  return Array.isArray(list) ? list.map(address).filter((a): a is Address => a !== undefined) : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}

/** The body as plain text, at most `maxChars`; a failure comes back as `error`, never as a rejection. */
export function readBodyText(item: Office.MessageRead, maxChars = BODY_MAX_CHARS): Promise<{ text: string; error?: string }> {
  return new Promise((resolve) => {
    try {
      item.body.getAsync(Office.CoercionType.Text, (result) => {
        if (result.status === Office.AsyncResultStatus.Succeeded && typeof result.value === 'string') {
          resolve({ text: result.value.slice(0, maxChars) });
        } else {
          resolve({ text: '', error: result.error?.message || 'The message body could not be read.' });
        }
      });
    } catch (error) {
      resolve({ text: '', error: error instanceof Error ? error.message : 'The message body could not be read.' });
    }
  });
}

/** Reads the message open in the reading pane: people, subject, ids and the start of the body. */
export async function readCurrentMessage(): Promise<MailSnapshot> {
  const item = Office.context?.mailbox?.item as Office.MessageRead | null | undefined;
  if (!item) throw new OutlookError('Open a message to give credit to the people on it.');
  if (item.itemType && item.itemType !== Office.MailboxEnums.ItemType.Message) {
    throw new OutlookError('Noticed gives credit from email messages. Open a message, not a meeting.');
  }
  const body = await readBodyText(item);
  return {
    from: address(item.from),
    to: addresses(item.to),
    cc: addresses(item.cc),
    subject: text(item.subject) ?? '',
    conversationId: text(item.conversationId),
    itemId: text(item.itemId),
    internetMessageId: text(item.internetMessageId),
    body: body.text,
    ...(body.error ? { bodyError: body.error } : {}),
  };
}

/** The Office auth context for a login hint; undefined where the host does not offer it. */
export async function authContextHint(): Promise<string | undefined> {
  try {
    const auth = Office.auth as unknown as { getAuthContext?: () => Promise<{ loginHint?: string; userPrincipalName?: string }> };
    if (typeof auth?.getAuthContext !== 'function') return undefined;
    const context = await auth.getAuthContext();
    return context.loginHint || context.userPrincipalName || undefined;
  } catch {
    return undefined;
  }
}

/** Opens `url` in an Office dialog and resolves with the first message it sends back (the fallback sign-in). */
export function dialogMessage(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    try {
      Office.context.ui.displayDialogAsync(url, { height: 60, width: 30 }, (result) => {
        if (result.status !== Office.AsyncResultStatus.Succeeded) {
          reject(new OutlookError('The sign-in window could not open. Allow pop-ups for Outlook and try again.'));
          return;
        }
        const dialog = result.value;
        dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
          dialog.close();
          if ('message' in arg && typeof arg.message === 'string') resolve(arg.message);
          else reject(new OutlookError('Sign-in did not finish.'));
        });
        dialog.addEventHandler(Office.EventType.DialogEventReceived, () => reject(new OutlookError('The sign-in window was closed before sign-in finished.')));
      });
    } catch {
      reject(new OutlookError('The sign-in window could not open in this version of Outlook.'));
    }
  });
}

/** True when the host can open Office dialogs (DialogApi 1.1). */
export function canOpenDialog(): boolean {
  try {
    return Boolean(Office.context.requirements?.isSetSupported('DialogApi', '1.1'));
  } catch {
    return false;
  }
}

/** From inside an Office dialog: sends `message` to the pane that opened it. */
export function messageParent(message: string): boolean {
  try {
    Office.context.ui.messageParent(message);
    return true;
  } catch {
    return false;
  }
}

/** True when Outlook shows a dark theme (Office.context.officeTheme), so the pane matches it. */
export function prefersDarkTheme(): boolean {
  try {
    const background = Office.context.officeTheme?.bodyBackgroundColor;
    const hex = /^#?([0-9a-f]{6})$/i.exec(background ?? '')?.[1];
    if (!hex) return false;
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
  } catch {
    return false;
  }
}
