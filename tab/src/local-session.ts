import { type TokenSource, cachedTokens } from '../../core/browser';

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
  return cachedTokens(async () => {
    const res = await fetch('/api/v1/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId, userId: person.userId, name: person.name }),
    });
    if (!res.ok) throw new Error(`local sign-in refused (${res.status})`);
    return ((await res.json()) as { accessToken: string }).accessToken;
  });
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
