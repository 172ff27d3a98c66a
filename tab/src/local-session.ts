import { tokenExpiry } from './teams';
import type { TokenSource } from './api';

/** Someone the local sign-in picker offers (local mode only). */
export interface LocalPerson {
  userId: string;
  name: string;
  role: 'lead' | 'member';
}

/** The demo tenant, board and people local mode signs in as. */
export interface LocalPeople {
  tenantId: string;
  boardId: string;
  people: LocalPerson[];
}

const REMEMBERED = 'noticed.localUser';

/** The demo people, or undefined when the server is not in local mode (it answers 404). */
export async function fetchLocalPeople(): Promise<LocalPeople | undefined> {
  try {
    const res = await fetch('/api/v1/dev/people', { headers: { accept: 'application/json' } });
    if (!res.ok) return undefined;
    return (await res.json()) as LocalPeople;
  } catch {
    return undefined;
  }
}

/** Tokens from the server's local issuer for one demo person, renewed before they expire. */
export function localTokens(tenantId: string, person: LocalPerson): TokenSource {
  let cached: { token: string; expiresAt: number } | undefined;
  return async (refresh = false) => {
    if (!refresh && cached && cached.expiresAt - 60_000 > Date.now()) return cached.token;
    const res = await fetch('/api/v1/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId, userId: person.userId, name: person.name }),
    });
    if (!res.ok) throw new Error(`local sign-in refused (${res.status})`);
    const { accessToken } = (await res.json()) as { accessToken: string };
    cached = { token: accessToken, expiresAt: tokenExpiry(accessToken) };
    return accessToken;
  };
}

/** The person chosen last time in this browser, if still offered. */
export function rememberedPerson(people: LocalPerson[]): LocalPerson | undefined {
  const id = safeStorage()?.getItem(REMEMBERED);
  return people.find((p) => p.userId === id);
}

/** Remembers (or forgets, with undefined) the local person for the next visit. */
export function rememberPerson(person: LocalPerson | undefined): void {
  const storage = safeStorage();
  if (!storage) return;
  if (person) storage.setItem(REMEMBERED, person.userId);
  else storage.removeItem(REMEMBERED);
}

/** localStorage, or undefined where the browser denies it (some embedded frames do). */
export function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
