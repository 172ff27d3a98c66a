import { mailboxUser, officeReady, readCurrentMessage } from '../src/outlook';
import { BODY_MAX_CHARS, threadParticipants } from '../src/participants';
import { installOffice } from './office-mock';

const ana = { displayName: 'Ana López', emailAddress: 'ana.lopez@contoso.example' };
const ben = { displayName: "Ben O'Neil", emailAddress: 'ben.oneil@contoso.example' };
const maya = { displayName: 'Maya Chen', emailAddress: 'maya.chen@contoso.example' };
const priya = { displayName: 'Priya Raman', emailAddress: 'priya@fabrikam.example' };

afterEach(() => {
  delete (globalThis as { Office?: unknown }).Office;
});

/** What the pane would list for the message: emails in order, with their roles. */
async function candidatesFor(message: Parameters<typeof installOffice>[0]) {
  installOffice(message);
  await officeReady(1000);
  const mail = await readCurrentMessage();
  return { mail, people: threadParticipants(mail, mailboxUser()?.emailAddress).map((p) => `${p.email} ${p.roles.join('+')}`) };
}

describe('reading the open message through Office.js (office-addin-mock)', () => {
  it('lists from, to and cc once each, without the signed-in user', async () => {
    const { mail, people } = await candidatesFor({ from: ana, to: [maya, ben], cc: [priya], subject: 'Renewal', body: 'Ben caught the discount bug' });
    expect(people).toEqual(['ana.lopez@contoso.example from', 'ben.oneil@contoso.example to', 'priya@fabrikam.example cc']);
    expect(mail).toMatchObject({ subject: 'Renewal', body: 'Ben caught the discount bug', conversationId: 'AAQkAD-conversation-1', itemId: 'AAMkAD-item-1', internetMessageId: '<msg-1@contoso.example>' });
  });

  it('merges duplicates across from, to and cc, comparing emails case-insensitively', async () => {
    const { people } = await candidatesFor({
      from: ana,
      to: [{ displayName: 'ANA', emailAddress: 'ANA.Lopez@Contoso.example' }, ben],
      cc: [{ displayName: 'Ben', emailAddress: ' Ben.ONeil@contoso.EXAMPLE ' }, ana],
    });
    expect(people).toEqual(['ana.lopez@contoso.example from+to+cc', 'ben.oneil@contoso.example to+cc']);
  });

  it('leaves out the signed-in user whatever the case of their address', async () => {
    const { people } = await candidatesFor({ from: { displayName: 'Me', emailAddress: 'Maya.Chen@CONTOSO.example' }, to: [ben], me: 'maya.chen@contoso.example' });
    expect(people).toEqual(['ben.oneil@contoso.example to']);
  });

  it.each([
    ['null', null],
    ['absent', undefined],
  ])('copes with a message without cc and with from %s', async (_, from) => {
    const { mail, people } = await candidatesFor({ from, to: [ben] });
    expect(mail.from).toBeUndefined();
    expect(mail.cc).toEqual([]);
    expect(people).toEqual(['ben.oneil@contoso.example to']);
  });

  it('skips entries without an email address', async () => {
    const { people } = await candidatesFor({ from: ana, to: [{ displayName: 'Undisclosed recipients' }, { displayName: 'x', emailAddress: 'not-an-address' }] });
    expect(people).toEqual(['ana.lopez@contoso.example from']);
  });

  it('keeps the pane working when the body fails to load', async () => {
    const { mail, people } = await candidatesFor({ from: ana, to: [maya], subject: 'Thanks', body: { fails: 'The body could not be retrieved.' } });
    expect(mail.body).toBe('');
    expect(mail.bodyError).toBe('The body could not be retrieved.');
    expect(people).toEqual(['ana.lopez@contoso.example from']);
  });

  it('keeps the pane working when reading the body throws', async () => {
    const { mail } = await candidatesFor({ from: ana, subject: 'Thanks', body: { throws: true } });
    expect(mail.body).toBe('');
    expect(mail.bodyError).toBe('host exploded');
  });

  it(`reads at most ${BODY_MAX_CHARS} characters of the body`, async () => {
    const { mail } = await candidatesFor({ from: ana, body: 'x'.repeat(5000) });
    expect(mail.body).toHaveLength(BODY_MAX_CHARS);
  });

  it('explains when no message is open', async () => {
    const mock = installOffice({});
    (mock as any).context.mailbox.item = null;
    await expect(readCurrentMessage()).rejects.toThrow('Open a message');
  });

  it('explains when Office.js never loaded', async () => {
    await expect(officeReady(50)).rejects.toThrow('Office.js did not load');
  });
});
