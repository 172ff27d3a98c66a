import { PassThrough, Writable } from 'node:stream';
import { demoMembers, LOCAL_BOT, mentionParts, runChat } from '../bot/dev';
import { LOCAL_TENANT_ID } from '../bot';
import { DEMO_BOARD_ID } from '../core';
import { startTestApp } from './support/test-app';

const people = [LOCAL_BOT, ...demoMembers()];
const ref = (name: string) => people.find((p) => p.name === name);

describe('mentionParts', () => {
  test.each<[string, Array<string | string[]>]>([
    ['credit @Ana López for the docs', ['credit ', ['Ana López'], ' for the docs']],
    ['credit @ana for the docs', ['credit ', ['Ana López'], ' for the docs']],
    ["thanks @Ben O'Neil and @Elif Yılmaz!", ['thanks ', ["Ben O'Neil"], ' and ', ['Elif Yılmaz'], '!']],
    ['@Noticed board', [['Noticed'], ' board']],
    ['mail me at ana@contoso.com', ['mail me at ana', '@', 'contoso.com']],
    ['credit @Nobody for that', ['credit ', '@', 'Nobody for that']],
  ])('%j', (line, expected) => {
    const want = expected.map((p) => (typeof p === 'string' ? p : ref(p[0])));
    expect(mentionParts(line, people)).toEqual(want);
  });
});

test('a chat session credits, endorses and shows the board, as a person would type it', async () => {
  const t = await startTestApp({ SEED_DEMO: 'true', AUTH_ALLOWED_TENANTS: LOCAL_TENANT_ID }, {}, { localIssuer: true });
  try {
    const input = new PassThrough();
    let printed = '';
    const output = new Writable({ write: (chunk, _enc, done) => ((printed += String(chunk)), done()) });
    const session = runChat({ serverUrl: t.url, input, output, as: 'Ana' });
    input.end(['credit @Ben for fixing the flaky deploy script #process', '/as Grace', '/click 1', '/quit'].join('\n'));
    await session;
    expect(printed).toContain("Ana López credited Ben O'Neil");
    expect(printed).toContain('[1] I saw this too');
    expect(printed).toContain('👀 1 person saw this too');
    const page = await t.app.store.recognitions.page({ tenantId: LOCAL_TENANT_ID, boardId: DEMO_BOARD_ID, viewerId: 'x', limit: 1 });
    expect(page.items[0]).toMatchObject({ message: 'fixing the flaky deploy script', kind: 'improved', source: 'bot' });
    expect(page.items[0].endorsements.map((e) => e.name)).toEqual(['Grace Kim']);
  } finally {
    await t.close();
  }
});

test('/digest shows this week\'s digest at once, without waiting for its day', async () => {
  const t = await startTestApp({ SEED_DEMO: 'true', AUTH_ALLOWED_TENANTS: LOCAL_TENANT_ID }, {}, { localIssuer: true });
  try {
    const input = new PassThrough();
    let printed = '';
    const output = new Writable({ write: (chunk, _enc, done) => ((printed += String(chunk)), done()) });
    const session = runChat({ serverUrl: t.url, input, output, as: 'Ana' });
    input.end(['credit @Ben for unblocking the staging deploy #unblocked', '/digest', '/quit'].join('\n'));
    await session;
    const digest = printed.slice(printed.indexOf('the week in credit'));
    expect(digest).toContain('Who made your week easier?');
    expect(digest).toMatch(/\d+ credits? this week, \d+ of them for behind-the-scenes work\./);
    expect(digest).toMatch(/\d+ of \d+ people credited in the last 30 days\./);
    expect(digest).toContain('[1] Give credit');
  } finally {
    await t.close();
  }
});
