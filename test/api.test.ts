import { SignJWT, UnsecuredJWT, exportSPKI, generateKeyPair } from 'jose';
import { request } from 'node:http';
import { CLIENT_ID, OTHER_TENANT, TENANT, type TestApp, issuerFor, startTestApp } from './support/test-app';

const BOARD = 'team-1';
const ANA = 'user-ana';
const BEN = 'user-ben';
const CY = 'user-cy';
const LEAD = 'user-lead';
const now = () => Math.floor(Date.now() / 1000);

let t: TestApp;
let ana: string;

beforeEach(async () => {
  t = await startTestApp();
  await t.board(TENANT, BOARD, [
    { userId: ANA, name: 'Ana López' },
    { userId: BEN, name: "Ben O'Neil", email: 'Ben.ONeil@contoso.com' },
    { userId: CY, name: 'Cy Park' },
    { userId: LEAD, name: 'Lee Lead', role: 'lead' },
  ]);
  await t.board(OTHER_TENANT, 'other-board', [{ userId: ANA, name: 'Ana in another tenant' }]);
  ana = await t.token();
});
afterEach(() => t.close());

const credit = (extra: Record<string, unknown> = {}) => ({ recipients: [{ userId: BEN }], message: 'Caught the migration bug before release', ...extra });

async function creditCount(): Promise<number> {
  const page = await t.app.store.recognitions.page({ tenantId: TENANT, boardId: BOARD, viewerId: LEAD, limit: 100 });
  return page.items.length;
}

describe('authentication: every bad token is 401 and writes nothing', () => {
  const cases: Array<[string, () => Promise<string | undefined>]> = [
    ['no token', async () => undefined],
    ['malformed', async () => 'not.a.jwt'],
    ['expired', () => t.token({ exp: now() - 600, iat: now() - 4000, nbf: now() - 4000 })],
    ['not yet valid', () => t.token({ nbf: now() + 900 })],
    ['wrong audience', () => t.token({ aud: 'api://some-other-app' })],
    ['wrong issuer', () => t.token({ iss: 'https://evil.example/v2.0' })],
    ['issuer of another tenant than tid', () => t.token({ iss: issuerFor(OTHER_TENANT) })],
    ['tenant not allowed', () => t.token({ tid: '33333333-3333-4333-8333-333333333333' })],
    ['missing scope', () => t.token({ scp: 'User.Read' })],
    ['signed by a foreign key', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      return new SignJWT({ tid: TENANT, oid: ANA, scp: 'access_as_user' }).setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer(issuerFor(TENANT)).setAudience(CLIENT_ID).setIssuedAt().setExpirationTime('1h').sign(privateKey);
    }],
    ['alg none', async () => new UnsecuredJWT({ tid: TENANT, oid: ANA, scp: 'access_as_user' }).setIssuer(issuerFor(TENANT)).setAudience(CLIENT_ID).setIssuedAt().setExpirationTime('1h').encode()],
    ['HS256 signed with the public key', async () => {
      const { publicKey } = await generateKeyPair('RS256', { extractable: true });
      const secret = new TextEncoder().encode(await exportSPKI(publicKey));
      return new SignJWT({ tid: TENANT, oid: ANA, scp: 'access_as_user' }).setProtectedHeader({ alg: 'HS256', kid: 'test-key' })
        .setIssuer(issuerFor(TENANT)).setAudience(CLIENT_ID).setIssuedAt().setExpirationTime('1h').sign(secret);
    }],
  ];

  test.each(cases)('%s', async (_name, make) => {
    const token = await make();
    const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token, body: credit() });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'unauthorized', correlationId: expect.any(String) });
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(await creditCount()).toBe(0);
  });

  test.each([
    ['v2 issuer, api:// audience', {}],
    ['v1 issuer, bare client id audience', { iss: `https://sts.windows.net/${TENANT}/`, aud: CLIENT_ID }],
    ['4 minutes of clock skew', { nbf: now() + 240, iat: now() + 240 }],
  ])('accepts a valid token: %s', async (_name, claims) => {
    const res = await t.call('GET', '/api/v1/me', { token: await t.token(claims) });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ tenantId: TENANT, userId: ANA, name: 'Ana López' });
  });
});

describe('authorization', () => {
  test('a non-member does not see the board', async () => {
    const stranger = await t.token({ oid: 'user-stranger' });
    for (const path of [`/api/v1/boards/${BOARD}`, `/api/v1/boards/${BOARD}/recognitions`, `/api/v1/boards/${BOARD}/members`]) {
      expect((await t.call('GET', path, { token: stranger })).status).toBe(404);
    }
    expect((await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: stranger, body: credit() })).status).toBe(404);
    expect(await creditCount()).toBe(0);
  });

  test("a board of another tenant is 404 even for a user with the same id there", async () => {
    const res = await t.call('GET', '/api/v1/boards/other-board', { token: ana });
    expect(res.status).toBe(404);
    const there = await t.token({ tid: OTHER_TENANT });
    expect((await t.call('GET', '/api/v1/boards/other-board', { token: there })).status).toBe(200);
    expect((await t.call('GET', `/api/v1/boards/${BOARD}`, { token: there })).status).toBe(404);
  });

  test('insights are for leads only', async () => {
    expect((await t.call('GET', `/api/v1/boards/${BOARD}/insights`, { token: ana })).status).toBe(403);
    const lead = await t.token({ oid: LEAD, name: 'Lee Lead' });
    const res = await t.call('GET', `/api/v1/boards/${BOARD}/insights?days=30`, { token: lead });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rosterSize: 4, creditedCount: 0, coverage: 0 });
    expect(res.body.unnoticed.map((u: { name: string }) => u.name)).toEqual(['Ana López', "Ben O'Neil", 'Cy Park', 'Lee Lead']);
  });

  test('private credits are seen only by giver and recipients', async () => {
    const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit({ visibility: 'private' }) });
    expect(res.status).toBe(201);
    const feedOf = async (oid: string) => (await t.call('GET', `/api/v1/boards/${BOARD}/recognitions`, { token: await t.token({ oid }) })).body.items.length;
    expect([await feedOf(ANA), await feedOf(BEN), await feedOf(CY), await feedOf(LEAD)]).toEqual([1, 1, 0, 0]);
  });

  // Credits a new credit could claim to pass credit on from, as Cy (on the board, named by none of them).
  const origins: Array<[string, () => Promise<string>]> = [
    ['an id that never existed', async () => 'no-such-credit'],
    ['a private credit between Ana and Ben', async () => (await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit({ visibility: 'private' }) })).body.id],
    ['a deleted credit', async () => {
      const id = (await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit() })).body.id;
      expect((await t.call('DELETE', `/api/v1/boards/${BOARD}/recognitions/${id}`, { token: ana })).status).toBe(204);
      return id;
    }],
  ];
  test.each(origins)('inspiredBy %s is refused in the same words, and nothing is written', async (_name, origin) => {
    const id = await origin();
    const cy = await t.token({ oid: CY, name: 'Cy Park' });
    const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: cy, body: credit({ recipients: [{ userId: ANA }], inspiredBy: id }) });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'invalid', field: 'inspiredBy', message: 'The credit this one passes on from does not exist on this board.', correlationId: expect.any(String) });
    const cysFeed = await t.call('GET', `/api/v1/boards/${BOARD}/recognitions?giver=${CY}`, { token: cy });
    expect(cysFeed.body.items).toEqual([]);
  });

  test('a private credit cannot be passed on, even by its own people: the link would show its id to others', async () => {
    const id = (await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit({ visibility: 'private' }) })).body.id;
    const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit({ recipients: [{ userId: CY }], inspiredBy: id }) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ field: 'inspiredBy', message: 'A private credit cannot be passed on: the link would show it to others.' });
    expect(await creditCount()).toBe(0);
  });

  test('insights count private credits in aggregate and never list them', async () => {
    const id = (await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit({ visibility: 'private', kind: 'sustained' }) })).body.id;
    const res = await t.call('GET', `/api/v1/boards/${BOARD}/insights?days=30`, { token: await t.token({ oid: LEAD, name: 'Lee Lead' }) });
    expect(res.body).toMatchObject({ totalCredits: 1, creditedCount: 1, kindMix: { sustained: 1 } });
    expect(JSON.stringify(res.body)).not.toMatch(new RegExp(`${id}|migration|Ben O'Neil`));
  });

  test('a credit to someone who prefers private credit is private', async () => {
    const cy = await t.app.store.members.get(TENANT, BOARD, CY);
    await t.app.store.members.put({ ...cy!, prefersPrivate: true });
    const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit({ recipients: [{ userId: BEN }, { userId: CY }] }) });
    expect(res.body.visibility).toBe('private');
    const lead = await t.token({ oid: LEAD });
    expect((await t.call('GET', `/api/v1/boards/${BOARD}/recognitions`, { token: lead })).body.items).toEqual([]);
  });

  test('someone who opted out cannot be credited', async () => {
    const cy = await t.app.store.members.get(TENANT, BOARD, CY);
    await t.app.store.members.put({ ...cy!, optedOut: true });
    const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit({ recipients: [{ userId: CY }] }) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ field: 'recipients.0', message: expect.stringMatching(/opted out/) });
    expect(await creditCount()).toBe(0);
  });

  test('only the giver or a lead removes a credit', async () => {
    const { body } = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit() });
    const path = `/api/v1/boards/${BOARD}/recognitions/${body.id}`;
    expect((await t.call('DELETE', path, { token: await t.token({ oid: CY }) })).status).toBe(403);
    expect((await t.call('DELETE', path, { token: await t.token({ oid: LEAD }) })).status).toBe(204);
    expect(await creditCount()).toBe(0);
    expect((await t.app.store.stats.get(TENANT, BOARD, BEN))?.receivedCount).toBe(0);
  });
});

describe('bad input gets a 4xx with a reason and writes nothing', () => {
  const cases: Array<[string, unknown, number, string | undefined]> = [
    ['empty message', credit({ message: '   ' }), 400, 'message'],
    ['message over 1000 characters', credit({ message: 'x'.repeat(1001) }), 400, 'message'],
    ['no recipients', credit({ recipients: [] }), 400, 'recipients'],
    ['more than 10 recipients', credit({ recipients: Array.from({ length: 11 }, (_, i) => ({ email: `p${i}@contoso.com` })) }), 400, 'recipients'],
    ['crediting yourself', credit({ recipients: [{ userId: ANA }] }), 400, 'recipients.0'],
    ['crediting yourself by email', credit({ recipients: [{ email: 'USER-ANA@contoso.com' }] }), 400, 'recipients.0'],
    ['crediting a bot', credit({ recipients: [{ userId: '28:some-bot' }] }), 400, 'recipients.0'],
    ['someone not on the board', credit({ recipients: [{ userId: 'user-nobody' }] }), 400, 'recipients.0'],
    ['unknown kind', credit({ kind: 'heroic' }), 400, 'kind'],
    ['malformed recipient id', credit({ recipients: [{ userId: 'bad id with spaces' }] }), 400, 'recipients.0.userId'],
    ['a source that belongs to the bot', credit({ source: 'bot' }), 400, 'source'],
    ['evidence that is not a web link', credit({ evidence: { type: 'link', url: 'javascript:alert(1)' } }), 400, 'evidence.url'],
    ['an email item id with characters no Outlook id has', credit({ evidence: { type: 'email', title: 'Renewal', itemId: 'AAMk/../x?y=<script>' } }), 400, 'evidence.itemId'],
    ['an email item id over 512 characters', credit({ evidence: { type: 'email', title: 'Renewal', itemId: 'A'.repeat(513) } }), 400, 'evidence.itemId'],
    ['an Outlook item id on evidence that is not an email', credit({ evidence: { type: 'link', url: 'https://contoso.example/pr/1', itemId: 'AAMkAD1' } }), 400, 'evidence.itemId'],
    ['not JSON', '{"recipients":', 400, undefined],
    ['a body over 16 KB', credit({ message: 'x', padding: 'y'.repeat(17_000) }), 413, undefined],
  ];

  test.each(cases)('%s', async (_name, body, status, field) => {
    const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body });
    expect(res.status).toBe(status);
    expect(res.body.error.message).toEqual(expect.any(String));
    expect(res.body.error.correlationId).toEqual(expect.any(String));
    if (field) expect(res.body.error.field).toBe(field);
    expect(await creditCount()).toBe(0);
  });

  /** Email evidence as the add-in sends it, and the link the stored credit carries. */
  const emails: Array<[string, Record<string, string>, string | undefined]> = [
    ['an EWS item id', { itemId: 'AAMkAGVm+OABGAA/AAiQ8W=' }, 'https://outlook.office.com/mail/deeplink/read/AAMkAGVm%2BOABGAA%2FAAiQ8W%3D'],
    ['a REST item id', { itemId: 'AAMkAGVm-OABGAA_AAiQ8W' }, 'https://outlook.office.com/mail/deeplink/read/AAMkAGVm-OABGAA_AAiQ8W'],
    // A link sent beside the id is replaced: "From an email" only ever opens Outlook.
    ['an item id and some other link', { itemId: 'AAMkAD1', url: 'https://phish.example/login' }, 'https://outlook.office.com/mail/deeplink/read/AAMkAD1'],
  ];
  test.each(emails)('a credit from an email with %s keeps the subject and a link that opens the message', async (_name, ids, url) => {
    const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit({ evidence: { type: 'email', title: 'Re: Fabrikam renewal', ref: 'AAQkConv1', ...ids } }) });
    expect(res.status).toBe(201);
    const feed = await t.call('GET', `/api/v1/boards/${BOARD}/recognitions`, { token: ana });
    expect(feed.body.items[0].evidence).toEqual({ type: 'email', title: 'Re: Fabrikam renewal', ref: 'AAQkConv1', itemId: ids.itemId, url });
  });

  test.each([
    ['kind', '?kind=heroic'],
    ['limit', '?limit=1000'],
    ['since', '?since=yesterday'],
    ['days', '?days=0'],
    ['cursor', '?cursor=forged'],
  ])('a bad %s filter is 400', async (field, query) => {
    const res = await t.call('GET', `/api/v1/boards/${BOARD}/recognitions${query}`, { token: ana });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
  });

  test('a malformed board id is 400', async () => {
    const res = await t.call('GET', `/api/v1/boards/${encodeURIComponent('bad board!')}`, { token: ana });
    expect(res.status).toBe(400);
  });

  test('writes past the per-user rate limit get 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit({ message: '' }) })).status);
    expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
    const limited = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit() });
    expect(limited.status).toBe(429);
    expect(limited.body.error.message).toBe('That is more changes than we can take in a short time. Nothing was saved: try again in a moment.');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await creditCount()).toBe(0);
    // Reads are not limited.
    expect((await t.call('GET', '/api/v1/me', { token: ana })).status).toBe(200);
  });
});

describe('routes', () => {
  test('the same Idempotency-Key creates one credit: 201 then 200 with the same credit', async () => {
    const send = () => t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit(), headers: { 'Idempotency-Key': 'click-42' } });
    const first = await send();
    const again = await send();
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.id).toBe(first.body.id);
    expect(await creditCount()).toBe(1);
    // Another person's identical key is their own credit.
    const ben = await t.token({ oid: BEN, name: "Ben O'Neil" });
    const theirs = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ben, body: credit({ recipients: [{ userId: CY }] }), headers: { 'Idempotency-Key': 'click-42' } });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
  });

  test('a retry after the person credited has left still answers with the first credit, and a new credit for them is refused', async () => {
    const send = (key: string, message?: string) =>
      t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit(message ? { message } : {}), headers: { 'Idempotency-Key': key } });
    const first = await send('click-43');
    const ben = await t.app.store.members.get(TENANT, BOARD, BEN);
    await t.app.store.members.put({ ...ben!, leftAt: new Date().toISOString() });
    const again = await send('click-43');
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.id).toBe(first.body.id);
    expect((await send('click-44', 'Something new they did')).status).toBe(400);
    expect(await creditCount()).toBe(1);
  });

  const resends: Array<[string, Record<string, string>, Record<string, unknown>, number[]]> = [
    ['a second dialog (a new Idempotency-Key) with the same credit', { 'Idempotency-Key': 'dialog-2' }, {}, [201, 200]],
    ['no key, the reason retyped with other case and spacing', {}, { message: '  fixed the   FLAKY test ' }, [201, 200]],
    ['the same people named twice', {}, { recipients: [{ userId: BEN }, { userId: BEN }] }, [201, 200]],
    ['another reason', { 'Idempotency-Key': 'dialog-2' }, { message: 'Reviewed the release notes' }, [201, 201]],
    ['another person', { 'Idempotency-Key': 'dialog-2' }, { recipients: [{ userId: CY }] }, [201, 201]],
  ];
  test.each(resends)('the same giver, people and reason within 10 minutes is one credit: %s', async (_name, headers, change, statuses) => {
    const give = (body: Record<string, unknown>, extra: Record<string, string>) => t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body, headers: extra });
    const first = await give(credit({ message: 'Fixed the flaky test' }), { 'Idempotency-Key': 'dialog-1' });
    const second = await give(credit({ message: 'Fixed the flaky test', ...change }), headers);
    expect([first.status, second.status]).toEqual(statuses);
    expect(second.body.id === first.body.id).toBe(statuses[1] === 200);
    expect(await creditCount()).toBe(statuses[1] === 200 ? 1 : 2);
  });

  test('give, list, filter, page, endorse and remove', async () => {
    const created = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, {
      token: ana,
      body: { recipients: [{ email: 'ben.oneil@CONTOSO.com' }, { email: 'helper@fabrikam.com', name: 'Helper' }], message: 'Automated the release checklist' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'improved',
      source: 'api',
      visibility: 'board',
      giver: { userId: ANA, name: 'Ana López' },
      recipients: [{ userId: BEN, name: "Ben O'Neil" }, { email: 'helper@fabrikam.com', name: 'Helper' }],
      endorsementCount: 0,
    });
    await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit({ recipients: [{ userId: CY }], kind: 'sustained' }) });

    const all = await t.call('GET', `/api/v1/boards/${BOARD}/recognitions?limit=1`, { token: ana });
    expect(all.body.items).toHaveLength(1);
    const next = await t.call('GET', `/api/v1/boards/${BOARD}/recognitions?limit=1&cursor=${all.body.nextCursor}`, { token: ana });
    expect(next.body.items).toHaveLength(1);
    expect(next.body.items[0].id).not.toBe(all.body.items[0].id);
    expect(next.body.nextCursor).toBeNull();
    expect((await t.call('GET', `/api/v1/boards/${BOARD}/recognitions?kind=sustained`, { token: ana })).body.items.map((r: { message: string }) => r.message)).toEqual([
      'Caught the migration bug before release',
    ]);
    expect((await t.call('GET', `/api/v1/boards/${BOARD}/recognitions?person=helper@fabrikam.com`, { token: ana })).body.items).toHaveLength(1);
    expect((await t.call('GET', `/api/v1/boards/${BOARD}/recognitions?person=${CY}`, { token: ana })).body.items).toHaveLength(1);

    const cy = await t.token({ oid: CY, name: 'Cy Park' });
    const endorse = () => t.call('POST', `/api/v1/boards/${BOARD}/recognitions/${created.body.id}/endorsements`, { token: cy });
    expect((await endorse()).body).toEqual({ count: 1, added: true, endorsedBy: [{ userId: CY, name: 'Cy Park' }] });
    expect((await endorse()).body).toEqual({ count: 1, added: false, endorsedBy: [{ userId: CY, name: 'Cy Park' }] });
    expect((await t.call('POST', `/api/v1/boards/${BOARD}/recognitions/${created.body.id}/endorsements`, { token: ana })).status).toBe(400);

    expect((await t.call('DELETE', `/api/v1/boards/${BOARD}/recognitions/${created.body.id}`, { token: ana })).status).toBe(204);
    expect((await t.call('GET', `/api/v1/boards/${BOARD}/recognitions`, { token: ana })).body.items).toHaveLength(1);
    expect((await t.call('POST', `/api/v1/boards/${BOARD}/recognitions/${created.body.id}/endorsements`, { token: cy })).status).toBe(404);
  });

  // Cy and the lead said "I saw this too"; each case is one DELETE of "my" endorsement.
  const takeBacks: Array<[string, () => Promise<string>, string | undefined, number, Record<string, unknown>, string[]]> = [
    ['an endorser takes theirs back', () => t.token({ oid: CY, name: 'Cy Park' }), undefined, 200, { count: 1, removed: true, endorsedBy: [{ userId: LEAD, name: 'Lee Lead' }] }, [LEAD]],
    ['a member who never endorsed it changes nothing', () => t.token(), undefined, 200, { count: 2, removed: false, endorsedBy: [{ userId: CY, name: 'Cy Park' }, { userId: LEAD, name: 'Lee Lead' }] }, [CY, LEAD]],
    ['an unknown credit', () => t.token({ oid: CY, name: 'Cy Park' }), 'r-unknown', 404, { error: expect.objectContaining({ code: 'not_found' }) }, [CY, LEAD]],
    ['someone in another tenant', () => t.token({ tid: OTHER_TENANT }), undefined, 404, { error: expect.any(Object) }, [CY, LEAD]],
  ];

  test.each(takeBacks)('taking back “I saw this too”: %s', async (_case, caller, creditId, status, body, stored) => {
    const created = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit() });
    for (const who of [await t.token({ oid: CY, name: 'Cy Park' }), await t.token({ oid: LEAD, name: 'Lee Lead' })]) {
      expect((await t.call('POST', `/api/v1/boards/${BOARD}/recognitions/${created.body.id}/endorsements`, { token: who })).status).toBe(200);
    }
    const res = await t.call('DELETE', `/api/v1/boards/${BOARD}/recognitions/${creditId ?? created.body.id}/endorsements/me`, { token: await caller() });
    expect([res.status, res.body]).toEqual([status, body]);
    expect((await t.app.store.recognitions.get(TENANT, BOARD, created.body.id))?.endorsements.map((e) => e.userId)).toEqual(stored);
    const feed = await t.call('GET', `/api/v1/boards/${BOARD}/recognitions`, { token: ana });
    expect(feed.body.items[0]).toMatchObject({ endorsementCount: stored.length, endorsedBy: stored.map((userId) => expect.objectContaining({ userId })) });
  });

  const windows: Array<[string, string, string[]]> = [
    ['the last 7 days', '?days=7', ['2 days ago']],
    ['the last 30 days', '?days=30', ['2 days ago', '10 days ago']],
    ['the last 7 days inside a since further back', `?days=7&since=${new Date(Date.now() - 20 * 86_400_000).toISOString()}`, ['2 days ago']],
    ['every day', '', ['2 days ago', '10 days ago', '40 days ago']],
  ];
  test.each(windows)('the feed of %s counts days by the server’s clock', async (_name, query, messages) => {
    for (const daysAgo of [2, 10, 40]) {
      await t.app.store.recognitions.create({
        id: `old-${daysAgo}`, tenantId: TENANT, boardId: BOARD, giver: { userId: ANA, name: 'Ana López' }, recipients: [{ userId: BEN, name: "Ben O'Neil" }],
        kind: 'enabled', message: `${daysAgo} days ago`, source: 'tab', visibility: 'board', createdAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(), endorsements: [],
      });
    }
    const res = await t.call('GET', `/api/v1/boards/${BOARD}/recognitions${query}`, { token: ana });
    expect([res.status, res.body.items.map((c: { message: string }) => c.message)]).toEqual([200, messages]);
  });

  const passedOn: Array<[string, Record<string, unknown>, string]> = [
    ['passed on from a win without a kind is for making it possible', { passOn: true }, 'enabled'],
    ['passed on from a win with a kind keeps the kind its giver chose', { passOn: true, kind: 'sustained' }, 'sustained'],
    ['of its own without a kind is suggested from its words', {}, 'delivered'],
  ];
  test.each(passedOn)('a credit %s', async (_name, { passOn, ...extra }, kind) => {
    const win = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit({ message: 'Shipped the checkout redesign #win' }) });
    const cy = await t.token({ oid: CY });
    const body = credit({ recipients: [{ userId: ANA }], message: 'Shipped the checkout redesign on time', ...(passOn ? { inspiredBy: win.body.id } : {}), ...extra });
    const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: cy, body });
    expect([res.status, res.body.kind]).toEqual([201, kind]);
  });

  test('me, board and the people picker', async () => {
    const me = await t.call('GET', '/api/v1/me', { token: ana });
    expect(me.body.boards).toEqual([{ id: BOARD, name: `Board ${BOARD}`, role: 'member' }]);
    const board = await t.call('GET', `/api/v1/boards/${BOARD}`, { token: ana });
    expect(board.body).toMatchObject({ id: BOARD, memberCount: 4, role: 'member' });
    const picker = await t.call('GET', `/api/v1/boards/${BOARD}/members?q=o'n`, { token: ana });
    expect(picker.body.items.map((m: { name: string }) => m.name)).toEqual(["Ben O'Neil"]);
    const byEmail = await t.call('GET', `/api/v1/boards/${BOARD}/members?q=user-c`, { token: ana });
    expect(byEmail.body.items.map((m: { name: string }) => m.name)).toEqual(['Cy Park']);
  });

  test('insights count coverage and the kind mix', async () => {
    await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit({ kind: 'prevented' }) });
    await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit({ recipients: [{ userId: CY }], kind: 'delivered' }) });
    const lead = await t.token({ oid: LEAD });
    const res = await t.call('GET', `/api/v1/boards/${BOARD}/insights`, { token: lead });
    expect(res.body).toMatchObject({ creditedCount: 2, coverage: 0.5, totalCredits: 2, kindMix: { prevented: 1, delivered: 1 }, behindTheScenesShare: 0.5 });
  });

  test('errors never show internals', async () => {
    jest.spyOn(t.app.store.members, 'boardsOf').mockRejectedValueOnce(new Error('SQLITE_CORRUPT: database disk image is malformed at /var/data'));
    const res = await t.call('GET', '/api/v1/me', { token: ana });
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toMatch(/SQLITE|var\/data|at /);
    expect(res.body.error).toMatchObject({ code: 'internal', correlationId: res.headers.get('x-correlation-id') });
  });

  test('the OpenAPI document lists every route the server mounts', async () => {
    const doc = (await t.call('GET', '/api/v1/openapi.json')).body;
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const mounted = (t.app.server.getDebugInfo().routes as Array<{ method: string; path: string }>)
        .map((r) => `${r.method.toUpperCase() === 'DEL' ? 'DELETE' : r.method.toUpperCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
      .filter((r) => r.includes('/api/v1/') && !r.includes('/dev/') && !r.endsWith('openapi.json'));
    expect(mounted.length).toBeGreaterThanOrEqual(8);
    expect(documented.sort()).toEqual(mounted.sort());
    expect(doc.openapi).toBe('3.1.0');
  });
});

describe('changing the kind of a credit', () => {
  type Case = [name: string, caller: () => Promise<string>, made: Record<string, unknown>, at: (id: string) => string, body: unknown, status: number, answer: Record<string, unknown>, stored: string];
  const path = (id: string, board = BOARD) => `/api/v1/boards/${board}/recognitions/${id}`;
  const refused = (code: string, field?: string) => ({ error: expect.objectContaining({ code, message: expect.any(String), correlationId: expect.any(String), ...(field ? { field } : {}) }) });
  const cases: Case[] = [
    ['the giver changes a board-visible credit', () => t.token(), {}, path, { kind: 'improved' }, 200, { kind: 'improved', message: 'Caught the migration bug before release' }, 'improved'],
    ['the giver changes a private credit', () => t.token(), { visibility: 'private' }, path, { kind: 'sustained' }, 200, { kind: 'sustained', visibility: 'private' }, 'sustained'],
    ['the same kind again changes nothing', () => t.token(), {}, path, { kind: 'prevented' }, 200, { kind: 'prevented' }, 'prevented'],
    ['its recipient may not', () => t.token({ oid: BEN }), {}, path, { kind: 'improved' }, 403, refused('forbidden'), 'prevented'],
    ['another member may not', () => t.token({ oid: CY }), {}, path, { kind: 'improved' }, 403, refused('forbidden'), 'prevented'],
    ['a lead who did not give it may not', () => t.token({ oid: LEAD }), {}, path, { kind: 'improved' }, 403, refused('forbidden'), 'prevented'],
    ['someone else may not see a private credit to change it', () => t.token({ oid: CY }), { visibility: 'private' }, path, { kind: 'improved' }, 404, refused('not_found'), 'prevented'],
    ['the same user id in another tenant', () => t.token({ tid: OTHER_TENANT }), {}, path, { kind: 'improved' }, 404, refused('not_found'), 'prevented'],
    ['the credit asked for on another board', () => t.token(), {}, (id) => path(id, 'team-2'), { kind: 'improved' }, 404, refused('not_found'), 'prevented'],
    ['an unknown credit', () => t.token(), {}, () => path('r-unknown'), { kind: 'improved' }, 404, refused('not_found'), 'prevented'],
    ['an unknown kind', () => t.token(), {}, path, { kind: 'heroic' }, 400, refused('invalid', 'kind'), 'prevented'],
    ['no kind', () => t.token(), {}, path, {}, 400, refused('invalid', 'kind'), 'prevented'],
    ['a field besides the kind', () => t.token(), {}, path, { kind: 'improved', message: 'Rewritten' }, 400, refused('invalid'), 'prevented'],
  ];

  test.each(cases)('%s', async (_name, caller, made, at, body, status, answer, stored) => {
    await t.board(TENANT, 'team-2', [{ userId: ANA, name: 'Ana López' }]);
    const created = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit({ kind: 'prevented', ...made }) });
    expect(created.status).toBe(201);

    const res = await t.call('PATCH', at(created.body.id), { token: await caller(), body });

    expect([res.status, res.body]).toEqual([status, expect.objectContaining(answer)]);
    expect(JSON.stringify(res.body)).not.toMatch(/Error:|SQLITE|\.ts:\d+/);
    const kept = await t.app.store.recognitions.get(TENANT, BOARD, created.body.id);
    expect([kept?.kind, kept?.message]).toEqual([stored, 'Caught the migration bug before release']);
    // The counts kept for the credit follow its kind: Ben's kinds, and the board's kind mix a lead sees.
    expect((await t.app.store.stats.get(TENANT, BOARD, BEN))?.receivedByKind).toMatchObject({ prevented: stored === 'prevented' ? 1 : 0, [stored]: 1 });
    const insights = await t.call('GET', `/api/v1/boards/${BOARD}/insights?days=30`, { token: await t.token({ oid: LEAD }) });
    expect(insights.body.kindMix).toMatchObject({ prevented: stored === 'prevented' ? 1 : 0, [stored]: 1 });
  });

  test('a removed credit is 404 and stays as removed', async () => {
    const created = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit({ kind: 'prevented' }) });
    expect((await t.call('DELETE', path(created.body.id), { token: ana })).status).toBe(204);
    const res = await t.call('PATCH', path(created.body.id), { token: ana, body: { kind: 'improved' } });
    expect([res.status, res.body]).toEqual([404, refused('not_found')]);
    expect(await t.app.store.recognitions.get(TENANT, BOARD, created.body.id)).toMatchObject({ kind: 'prevented', deletedAt: expect.any(String) });
    expect((await t.app.store.stats.get(TENANT, BOARD, BEN))?.receivedByKind).toMatchObject({ prevented: 0, improved: 0 });
  });
});

describe('one credit, as a shared link opens it', () => {
  const path = (id: string, board = BOARD) => `/api/v1/boards/${board}/recognitions/${id}`;
  const GONE = 'That credit does not exist.';
  const NO_BOARD = 'That board does not exist or you are not on it.';
  // [case, the caller, the credit made by Ana for Ben, removed after, the path asked, status, the refusal's words ('' for none)]
  const cases: Array<[string, () => Promise<string>, Record<string, unknown>, boolean, (id: string) => string, number, string]> = [
    ['a board credit, to any member', () => t.token({ oid: CY }), {}, false, path, 200, ''],
    ['a private credit, to its giver', () => t.token(), { visibility: 'private' }, false, path, 200, ''],
    ['a private credit, to its recipient', () => t.token({ oid: BEN }), { visibility: 'private' }, false, path, 200, ''],
    ['a private credit, to another member', () => t.token({ oid: CY }), { visibility: 'private' }, false, path, 404, GONE],
    ['a private credit, to a lead it does not name', () => t.token({ oid: LEAD }), { visibility: 'private' }, false, path, 404, GONE],
    ['a removed credit', () => t.token(), {}, true, path, 404, GONE],
    ['an id that never existed', () => t.token(), {}, false, () => path('r-unknown'), 404, GONE],
    ['the same user id in another tenant', () => t.token({ tid: OTHER_TENANT }), {}, false, path, 404, NO_BOARD],
    ['the credit asked for on another board', () => t.token(), {}, false, (id) => path(id, 'team-2'), 404, GONE],
  ];
  test.each(cases)('%s', async (_name, caller, made, removed, at, status, words) => {
    await t.board(TENANT, 'team-2', [{ userId: ANA, name: 'Ana López' }]);
    const created = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: ana, body: credit(made) });
    if (removed) expect((await t.call('DELETE', path(created.body.id), { token: ana })).status).toBe(204);

    const res = await t.call('GET', at(created.body.id), { token: await caller() });

    expect(res.status).toBe(status);
    if (status === 200) expect(res.body).toMatchObject({ id: created.body.id, message: 'Caught the migration bug before release', recipients: [expect.objectContaining({ userId: BEN })] });
    else {
      // Not found, in the same words whatever the reason: a private credit's id tells a stranger nothing, not even that it exists.
      expect(res.body).toEqual({ error: { code: 'not_found', message: words, correlationId: expect.any(String) } });
      expect(JSON.stringify(res.body)).not.toContain('Caught the migration bug');
    }
  });
});

describe('my data: export and erase', () => {
  const names: Record<string, string> = { [ANA]: 'Ana López', [BEN]: "Ben O'Neil", [CY]: 'Cy Park', [LEAD]: 'Lee Lead' };
  const give = async (oid: string, body: Record<string, unknown>) => {
    const res = await t.call('POST', `/api/v1/boards/${BOARD}/recognitions`, { token: await t.token({ oid, name: names[oid] }), body });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const feedOf = async (oid: string) => (await t.call('GET', `/api/v1/boards/${BOARD}/recognitions?limit=100`, { token: await t.token({ oid, name: names[oid] }) })).body.items as Array<Record<string, any>>;
  const messages = (items: Array<{ message: string }>) => items.map((c) => c.message).sort();

  test('both routes need a token', async () => {
    expect((await t.call('GET', '/api/v1/me/export')).status).toBe(401);
    expect((await t.call('DELETE', '/api/v1/me/data')).status).toBe(401);
  });

  test('the export holds what I received and gave, private ones included, and no one else’s private credits', async () => {
    await give(BEN, { recipients: [{ userId: ANA }], message: 'Private thanks for the late-night rollback', visibility: 'private' });
    await give(ANA, { recipients: [{ userId: CY }], message: 'Unblocked the deploy pipeline #enabled' });
    await give(BEN, { recipients: [{ userId: CY }], message: 'Private note for Cy only', visibility: 'private' });
    const fromLead = await give(LEAD, { recipients: [{ userId: CY }], message: 'Wrote the onboarding guide #docs' });
    expect((await t.call('POST', `/api/v1/boards/${BOARD}/recognitions/${fromLead.id}/endorsements`, { token: ana })).status).toBe(200);

    const res = await t.call('GET', '/api/v1/me/export', { token: ana });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="noticed-export.json"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.user).toEqual({ tenantId: TENANT, userId: ANA, name: 'Ana López' });
    // Only this tenant's board, although the same user id is on a board of another tenant.
    expect(res.body.boards).toHaveLength(1);
    const [mine] = res.body.boards;
    expect(mine.board).toEqual({ id: BOARD, name: `Board ${BOARD}` });
    expect(mine.membership).toMatchObject({ name: 'Ana López', email: `${ANA}@contoso.com`, role: 'member', prefersPrivate: false });
    expect(messages(mine.received)).toEqual(['Private thanks for the late-night rollback']);
    expect(mine.received[0]).toMatchObject({ visibility: 'private', giver: { userId: BEN } });
    expect(messages(mine.given)).toEqual(['Unblocked the deploy pipeline #enabled']);
    expect(mine.endorsed).toEqual([{ recognitionId: fromLead.id, endorsedAt: expect.any(String), credit: expect.objectContaining({ message: 'Wrote the onboarding guide #docs' }) }]);
    expect(mine.stats).toMatchObject({ memberKey: ANA, receivedCount: 1, givenCount: 1 });
    expect(JSON.stringify(res.body)).not.toContain('Private note for Cy only');
  });

  test('erasing removes what others gave me, anonymises what I gave, and leaves other tenants alone', async () => {
    const sole = await give(BEN, { recipients: [{ userId: ANA }], message: 'Caught the expired certificate before launch' });
    const shared = await give(BEN, { recipients: [{ userId: ANA }, { userId: CY }], message: 'Kept the release train running' });
    const fromAna = await give(ANA, { recipients: [{ userId: CY }], message: 'Unblocked the deploy pipeline #enabled' });
    const fromLead = await give(LEAD, { recipients: [{ userId: CY }], message: 'Wrote the onboarding guide #docs' });
    await t.call('POST', `/api/v1/boards/${BOARD}/recognitions/${fromLead.id}/endorsements`, { token: ana });
    await t.board(OTHER_TENANT, 'other-board', [{ userId: ANA, name: 'Ana in another tenant' }, { userId: BEN, name: 'Ben there' }]);
    const there = await t.app.store.recognitions.create({
      id: 'r-other-tenant', tenantId: OTHER_TENANT, boardId: 'other-board', giver: { userId: BEN, name: 'Ben there' }, recipients: [{ userId: ANA, name: 'Ana in another tenant' }],
      kind: 'prevented', message: 'Ana caught it in the other tenant', source: 'api', visibility: 'board', createdAt: new Date().toISOString(), endorsements: [],
    });
    const cyStats = await t.app.store.stats.get(TENANT, BOARD, CY);

    expect((await t.call('DELETE', '/api/v1/me/data', { token: ana })).status).toBe(204);

    // What others see: no trace of Ana's name, and nothing of the credit that was hers alone.
    for (const oid of [CY, BEN, LEAD]) {
      const feed = await feedOf(oid);
      expect(JSON.stringify(feed)).not.toMatch(/Ana|user-ana|Caught the expired certificate/);
      expect(feed.map((c) => c.id)).not.toContain(sole.id);
    }
    const cyFeed = await feedOf(CY);
    expect(cyFeed.find((c) => c.id === shared.id)?.recipients).toEqual([{ userId: CY, email: `${CY}@contoso.com`, name: 'Cy Park' }]);
    expect(cyFeed.find((c) => c.id === fromAna.id)?.giver).toEqual({ userId: 'former-member', name: 'A former member' });
    expect(cyFeed.find((c) => c.id === fromLead.id)).toMatchObject({ endorsementCount: 0, endorsedBy: [] });
    expect(await t.app.store.stats.get(TENANT, BOARD, CY)).toEqual(cyStats);
    expect(await t.app.store.stats.get(TENANT, BOARD, ANA)).toBeUndefined();
    expect(await t.app.store.stats.get(TENANT, BOARD, BEN)).toMatchObject({ givenCount: 1 });

    // Ana is off the board, and her export holds none of her credits.
    expect((await t.call('GET', '/api/v1/me', { token: ana })).body.boards).toEqual([]);
    expect((await t.call('GET', `/api/v1/boards/${BOARD}`, { token: ana })).status).toBe(404);
    const exported = await t.call('GET', '/api/v1/me/export', { token: ana });
    expect(exported.status).toBe(200);
    for (const b of exported.body.boards) expect([b.received, b.given, b.endorsed, b.stats]).toEqual([[], [], [], null]);
    expect(JSON.stringify(exported.body.boards)).not.toMatch(/Caught the expired|Kept the release|Unblocked the deploy|onboarding guide|Ana López|contoso/);

    // The same user id in another tenant keeps everything.
    expect(await t.app.store.recognitions.get(OTHER_TENANT, 'other-board', there.recognition.id)).toEqual(there.recognition);
    expect((await t.app.store.members.get(OTHER_TENANT, 'other-board', ANA))?.name).toBe('Ana in another tenant');
    expect((await t.call('GET', '/api/v1/boards/other-board', { token: await t.token({ tid: OTHER_TENANT }) })).status).toBe(200);

    // A second erase answers the same and changes nothing.
    const before = { feed: await feedOf(CY), stats: await t.app.store.stats.list(TENANT, BOARD), roster: await t.app.store.members.list(TENANT, BOARD, { includeLeft: true }) };
    expect((await t.call('DELETE', '/api/v1/me/data', { token: ana })).status).toBe(204);
    expect({ feed: await feedOf(CY), stats: await t.app.store.stats.list(TENANT, BOARD), roster: await t.app.store.members.list(TENANT, BOARD, { includeLeft: true }) }).toEqual(before);
  });
});

describe('local issuer', () => {
  test('issues tokens that pass the same verification, and is absent in production', async () => {
    const local = await startTestApp({}, {});
    try {
      await local.board('00000000-0000-4000-8000-000000000001', 'demo', [{ userId: 'u1', name: 'Uma' }]);
      const res = await local.call('POST', '/api/v1/dev/token', { body: { tenantId: '00000000-0000-4000-8000-000000000001', userId: 'u1', name: 'Uma' } });
      expect(res.status).toBe(200);
      // The tests' authority does not know the local key, so the same verifier refuses it here…
      expect((await local.call('GET', '/api/v1/me', { token: res.body.accessToken })).status).toBe(401);
      expect((await local.call('GET', '/api/v1/dev/jwks')).body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
    } finally {
      await local.close();
    }
    const prod = await startTestApp({ NODE_ENV: 'production', HOST: '127.0.0.1', BOT_ID: 'b', BOT_PASSWORD: 'p', BOT_TENANT_ID: TENANT, BOT_TYPE: 'SingleTenant' });
    try {
      expect((await prod.call('POST', '/api/v1/dev/token', { body: { tenantId: TENANT, userId: 'u', name: 'U' } })).status).toBe(404);
      expect((await prod.call('GET', '/api/v1/dev/jwks')).status).toBe(404);
    } finally {
      await prod.close();
    }
  });
});

describe('pages the app manifest links to', () => {
  test.each([
    ['/privacy', /Noticed privacy statement[\s\S]*export[\s\S]*delete/i],
    ['/terms', /Noticed terms of use/],
  ])('%s is served with a CSP that only Microsoft 365 may frame', async (path, text) => {
    const res = await fetch(`${t.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self' https:\/\/teams\.microsoft\.com/);
    expect(await res.text()).toMatch(text);
  });
});

describe('static front ends', () => {
  test.each(['/tab/%2e%2e/%2e%2e/package.json', '/addin/..%2f..%2fpackage.json', '/tab/%2e%2e%2f%2e%2e%2fdata%2fnoticed.db'])('a path that climbs out of the build folder is 404: %s', async (path) => {
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      // A raw request: fetch would normalise the dots away before they reach the server.
      const req = request(`${t.url}${path}`, (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('"name": "noticed"');
  });
});
