// A stand-in for Office.js on the preview page only (addin/preview.html): a message being read
// in Outlook, with the same shapes and callback style as Office.js, so the task pane runs
// unchanged outside Outlook. Query parameters vary the message:
//   ?body=fail      the body cannot be read
//   ?me=<email>     the signed-in mailbox user (default Maya Chen, a lead of the demo board)
//   ?cc=none        no cc line, ?from=none no sender
//   ?theme=dark     Outlook in a dark theme

type Callback<T> = (result: { status: 'succeeded' | 'failed'; value: T; error?: { code: number; name: string; message: string } }) => void;

const params = new URLSearchParams(window.location.search);
const person = (displayName: string, emailAddress: string) => ({ displayName, emailAddress, recipientType: 'user' });

const me = params.get('me') ?? 'maya.chen@northwind.example';
const MESSAGE = {
  subject: 'Re: Fabrikam renewal — pricing sheet ready for Thursday',
  from: person('Ana López', 'ana.lopez@northwind.example'),
  to: [person('Maya Chen', 'maya.chen@northwind.example'), person("Ben O'Neil", 'Ben.ONeil@Northwind.example')],
  cc: [person('Chidi Okafor', 'chidi.okafor@northwind.example'), person('Priya Raman', 'priya.raman@fabrikam.example'), person('Ana López', 'ANA.LOPEZ@northwind.example')],
  body:
    'Hi Maya,\n\nBen caught the wrong discount tier in the pricing sheet before it went to Fabrikam, a close call. ' +
    'Chidi double-checked every line over the weekend, and Priya on their side spotted the missing procurement contact in time.\n\n' +
    'The renewal deck is attached.\n\nAna',
};

const later = (fn: () => void) => setTimeout(fn, 0);

const item = {
  itemType: 'message',
  itemId: 'AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAAiIsqMbYjsT5e-T7KzowPTAAAYbuK3AAA=',
  internetMessageId: '<DM6PR11MB4321.preview@northwind.example>',
  conversationId: 'AAQkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OAAQAHKmP8wR1kRGsbM3Wm7Fz5Q=',
  subject: MESSAGE.subject,
  from: params.get('from') === 'none' ? undefined : MESSAGE.from,
  sender: MESSAGE.from,
  to: MESSAGE.to,
  cc: params.get('cc') === 'none' ? [] : MESSAGE.cc,
  body: {
    getAsync(_coercion: string, optionsOrCallback: unknown, maybeCallback?: Callback<string>) {
      const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback) as Callback<string>;
      later(() =>
        params.get('body') === 'fail'
          ? callback({ status: 'failed', value: '', error: { code: 9020, name: 'GenericResponseError', message: 'The body could not be retrieved.' } })
          : callback({ status: 'succeeded', value: MESSAGE.body }),
      );
    },
  },
};

const context = {
  mailbox: {
    item,
    userProfile: { displayName: me === 'maya.chen@northwind.example' ? 'Maya Chen' : me, emailAddress: me, accountType: 'office365', timeZone: 'UTC' },
    diagnostics: { hostName: 'OutlookWebApp', hostVersion: 'preview' },
  },
  requirements: { isSetSupported: (name: string) => name === 'Mailbox' },
  officeTheme: { bodyBackgroundColor: params.get('theme') === 'dark' ? '#1f1f1f' : '#ffffff' },
  ui: {
    displayDialogAsync: (_url: string, _options: unknown, callback: Callback<undefined>) =>
      later(() => callback({ status: 'failed', value: undefined, error: { code: 12009, name: 'Unsupported', message: 'Dialogs are not simulated.' } })),
    messageParent: () => undefined,
  },
};

const info = { host: 'Outlook', platform: 'OfficeOnline' };

(window as unknown as { Office: unknown }).Office = {
  HostType: { Outlook: 'Outlook' },
  CoercionType: { Text: 'text', Html: 'html' },
  AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
  EventType: { DialogMessageReceived: 'dialogMessageReceived', DialogEventReceived: 'dialogEventReceived' },
  MailboxEnums: { ItemType: { Message: 'message', Appointment: 'appointment' } },
  context,
  onReady(callback?: (i: typeof info) => void) {
    return new Promise((resolve) =>
      later(() => {
        callback?.(info);
        resolve(info);
      }),
    );
  },
};
