import { OfficeMockObject } from 'office-addin-mock';

// office-addin-mock needs only the OfficeApp names from office-addin-manifest, whose own
// dependencies ship ESM that jest (roots core, bot, test config) does not transform.
jest.mock('office-addin-manifest', () => ({
  OfficeApp: { Excel: 'excel', OneNote: 'onenote', Outlook: 'outlook', PowerPoint: 'powerpoint', Project: 'project', Word: 'word' },
}));

type Person = { displayName?: string; emailAddress?: string };

/** The message and mailbox a test opens the pane on; a field left out is absent, as Outlook leaves it. */
export interface MockMessage {
  from?: Person | null;
  to?: Person[];
  cc?: Person[];
  subject?: string;
  body?: string | { fails: string } | { throws: true };
  me?: string;
}

/** Installs an office-addin-mock Office object with a message being read, as the global Office. */
export function installOffice(message: MockMessage): OfficeMockObject {
  const body = message.body ?? '';
  const item: Record<string, unknown> = {
    itemType: 'message',
    itemId: 'AAMkAD-item-1',
    internetMessageId: '<msg-1@contoso.example>',
    conversationId: 'AAQkAD-conversation-1',
    subject: message.subject ?? '',
    to: message.to ?? [],
    cc: message.cc ?? [],
    body: {
      getAsync(_coercion: unknown, callback: (r: unknown) => void) {
        if (typeof body === 'object' && 'throws' in body) throw new Error('host exploded');
        setTimeout(() =>
          typeof body === 'string'
            ? callback({ status: 'succeeded', value: body })
            : callback({ status: 'failed', value: undefined, error: { code: 9020, name: 'GenericResponseError', message: body.fails } }),
        );
      },
    },
  };
  if (message.from) item.from = message.from;
  const mock = new OfficeMockObject(
    {
      host: 'outlook',
      HostType: { Outlook: 'Outlook' },
      CoercionType: { Text: 'text' },
      AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
      MailboxEnums: { ItemType: { Message: 'message', Appointment: 'appointment' } },
      context: { mailbox: { item, userProfile: { displayName: 'Maya Chen', emailAddress: message.me ?? 'maya.chen@contoso.example' } } },
      onReady: async () => ({ host: 'Outlook', platform: 'OfficeOnline' }),
    },
    'outlook' as never,
  );
  // The mock cannot hold null; Outlook gives null for a message without a sender (a draft, some system mail).
  if (message.from === null) (mock as unknown as { context: { mailbox: { item: { from: null } } } }).context.mailbox.item.from = null;
  (globalThis as unknown as { Office: unknown }).Office = mock;
  return mock;
}
