import type { RosterMember } from '../../core/browser';
import { creditRecipients, defaultMessage, emailEvidence, matchRoster, suggestKindFor, threadParticipants } from '../src/participants';

const roster: RosterMember[] = [
  { userId: 'u-ana', name: 'Ana López', email: 'Ana.Lopez@contoso.example', role: 'member' },
  { userId: 'u-maya', name: 'Maya Chen', email: 'maya@contoso.example', role: 'lead' },
];

describe('matching the thread against the board roster', () => {
  const people = threadParticipants({
    from: { name: 'Ana', email: 'ana.lopez@contoso.example' },
    to: [{ name: '', email: 'priya@fabrikam.example' }],
    cc: [{ name: 'Maya (personal)', email: 'maya.chen@home.example' }],
  });

  it('marks roster members by email, case-insensitively, and keeps outsiders credited by email', () => {
    const candidates = matchRoster(people, roster);
    expect(candidates.map((c) => [c.email, c.member?.userId ?? null])).toEqual([
      ['ana.lopez@contoso.example', 'u-ana'],
      ['priya@fabrikam.example', null],
      ['maya.chen@home.example', null],
    ]);
    expect(candidates[1].name).toBe('priya@fabrikam.example');
    expect(creditRecipients(candidates)).toEqual([{ userId: 'u-ana' }, { email: 'priya@fabrikam.example', name: 'priya@fabrikam.example' }, { email: 'maya.chen@home.example', name: 'Maya (personal)' }]);
  });

  it('drops the caller again by user id when their roster email is on the thread', () => {
    const candidates = matchRoster(threadParticipants({ to: [{ name: 'Maya', email: 'MAYA@contoso.example' }, { name: 'Ana', email: 'ana.lopez@contoso.example' }], cc: [] }), roster, 'u-maya');
    expect(candidates.map((c) => c.email)).toEqual(['ana.lopez@contoso.example']);
  });
});

describe('what the pane pre-fills', () => {
  it.each([
    ['Re: Fabrikam renewal', 'Thank you for your part in “Fabrikam renewal”.'],
    ['RE: Fw: AW: Launch plan', 'Thank you for your part in “Launch plan”.'],
    ['   ', 'Thank you for your part in this.'],
  ])('message from subject %j', (subject, message) => {
    expect(defaultMessage(subject)).toBe(message);
  });

  it.each([
    [{ subject: 'Caught the pricing bug before release', body: '' }, 'prevented'],
    [{ subject: 'Hello', body: 'Thanks for automating the release checklist' }, 'improved'],
    [{ subject: 'We shipped it! #win', body: '' }, 'delivered'],
    [{ subject: 'Hello', body: '' }, 'enabled'],
  ])('kind from subject and body %j', (mail, kind) => {
    expect(suggestKindFor(mail)).toBe(kind);
  });

  it('keeps the email as evidence: subject, conversation, and a link only when there is one', () => {
    const base = { to: [], cc: [], body: '', subject: ' Renewal ', conversationId: 'conv-1', internetMessageId: '<m@x>', itemId: 'item-1' };
    expect(emailEvidence(base)).toEqual({ type: 'email', title: 'Renewal', ref: 'conv-1', itemId: 'item-1' });
    expect(emailEvidence({ ...base, itemId: 'not an <id>' })).toEqual({ type: 'email', title: 'Renewal', ref: 'conv-1' });
    expect(emailEvidence({ ...base, subject: '', conversationId: undefined, itemId: undefined, itemLink: 'https://outlook.office.com/mail/x' })).toEqual({ type: 'email', ref: '<m@x>', url: 'https://outlook.office.com/mail/x' });
  });
});
