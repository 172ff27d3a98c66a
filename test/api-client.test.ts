import { ApiError, BoardApi, NoticedApi, cachedTokens, describeError } from '../core/browser';
import { TENANT, type TestApp, startTestApp } from './support/test-app';

// The one REST client the tab and the add-in share, against the real server.
const BOARD = 'team-1';
const ANA = 'user-ana';
const BEN = 'user-ben';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  await t.board(TENANT, BOARD, [
    { userId: ANA, name: 'Ana López' },
    { userId: BEN, name: "Ben O'Neil" },
  ]);
});
afterEach(() => t.close());

/** A JWT-shaped string that expires in `seconds` (only its exp is read by the cache). */
const jwtExpiringIn = (seconds: number, n: number) => `h.${Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + seconds, n })).toString('base64url')}.s`;

describe('the token cache both surfaces keep', () => {
  const cases: Array<[string, number, (tokens: (refresh?: boolean) => Promise<string>) => Promise<unknown>, number]> = [
    ['calls made during a fetch share it', 3600, (tokens) => Promise.all([tokens(), tokens(), tokens()]), 1],
    ['a token is reused while it has more than a minute left', 3600, async (tokens) => [await tokens(), await tokens()], 1],
    ['a token with less than a minute left is fetched again', 30, async (tokens) => [await tokens(), await tokens()], 2],
    ['refresh fetches a new one', 3600, async (tokens) => [await tokens(), await tokens(true)], 2],
  ];

  test.each(cases)('%s', async (_name, lifetime, use, fetches) => {
    let count = 0;
    await use(cachedTokens(async () => jwtExpiringIn(lifetime, ++count)));
    expect(count).toBe(fetches);
  });

  test('a failed fetch is not kept', async () => {
    let count = 0;
    const tokens = cachedTokens(async () => {
      if (++count === 1) throw new Error('sign-in failed');
      return jwtExpiringIn(3600, count);
    });
    await expect(tokens()).rejects.toThrow('sign-in failed');
    expect(await tokens()).toBe(jwtExpiringIn(3600, 2));
  });
});

describe('the client against the server', () => {
  test('a refusal is an ApiError with the server’s status, code, sentence and correlation id', async () => {
    const token = await t.token({ oid: ANA });
    const api = new NoticedApi(async () => token, 'outlook', `${t.url}/api/v1`);
    const error = await api.give(BOARD, { recipients: [{ userId: ANA }], message: 'Thanks me', kind: 'enabled' }, 'key-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid', message: 'Credit is for other people: you cannot credit yourself.', correlationId: expect.any(String) });
    expect(describeError(error)).toBe(`Credit is for other people: you cannot credit yourself. (Reference: ${(error as ApiError).correlationId})`);
  });

  test('after a 401 it asks for a fresh token once, and the credit names the surface it came from', async () => {
    const good = await t.token({ oid: ANA });
    const asked: boolean[] = [];
    const api = new BoardApi(async (refresh) => (asked.push(Boolean(refresh)), refresh ? good : 'expired.token.here'), 'tab', `${t.url}/api/v1`);
    const credit = await api.give(BOARD, { recipients: [{ userId: BEN }], message: 'Unblocked the release', kind: 'enabled' }, 'key-2');
    expect(asked).toEqual([false, true]);
    expect(credit).toMatchObject({ source: 'tab', message: 'Unblocked the release' });
    expect((await api.recognitions(BOARD, {})).items.map((c) => c.id)).toEqual([credit.id]);
  });

  test('a server that cannot be reached is an ApiError with a sentence a person can act on', async () => {
    const api = new NoticedApi(async () => 'token', 'tab', 'http://127.0.0.1:9/api/v1');
    await expect(api.me()).rejects.toMatchObject({ status: 0, code: 'unreachable', message: 'Noticed could not be reached. Check your connection and try again.' });
  });
});
