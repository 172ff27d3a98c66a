import { type BoardPreferences, type BoardSettings, type LeadEntry, type NoticedApi, enc } from '../../core/browser';

/** Weekday names, 0 = Sunday, as the API counts them. */
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

// Functions beside the Settings and You views rather than client methods, so only their lazily loaded chunks carry them.
/** The board's settings (leads only). */
export function boardSettings(api: NoticedApi, boardId: string): Promise<BoardSettings> {
  return api.call('GET', `/boards/${enc(boardId)}/settings`);
}

/** Changes some of the board's settings; answers all of them as saved. */
export function changeBoardSettings(api: NoticedApi, boardId: string, change: Partial<BoardSettings>): Promise<BoardSettings> {
  return api.call('PATCH', `/boards/${enc(boardId)}/settings`, change);
}

/** Who leads the board (leads only). */
export async function boardLeads(api: NoticedApi, boardId: string): Promise<LeadEntry[]> {
  return (await api.call<{ leads: LeadEntry[] }>('GET', `/boards/${enc(boardId)}/leads`)).leads;
}

/** Makes someone on the roster a lead; answers the leads after. */
export async function grantLead(api: NoticedApi, boardId: string, userId: string): Promise<LeadEntry[]> {
  return (await api.call<{ leads: LeadEntry[] }>('PUT', `/boards/${enc(boardId)}/leads/${enc(userId)}`)).leads;
}

/** Takes lead rights from a lead; answers the leads after. */
export async function removeLead(api: NoticedApi, boardId: string, userId: string): Promise<LeadEntry[]> {
  return (await api.call<{ leads: LeadEntry[] }>('DELETE', `/boards/${enc(boardId)}/leads/${enc(userId)}`)).leads;
}

/** The caller's preferences on one board. */
export async function myPreferences(api: NoticedApi, boardId: string): Promise<BoardPreferences> {
  return (await api.call<{ boards: BoardPreferences[] }>('GET', `/me/preferences?boardId=${enc(boardId)}`)).boards[0];
}

/** Changes the caller's preferences on one board; answers them as saved. */
export async function changeMyPreferences(api: NoticedApi, boardId: string, change: Partial<Omit<BoardPreferences, 'boardId' | 'boardName'>>): Promise<BoardPreferences> {
  return (await api.call<{ boards: BoardPreferences[] }>('PATCH', `/me/preferences?boardId=${enc(boardId)}`, change)).boards[0];
}

/** Everything Noticed keeps about the caller, as the JSON the export route answers. */
export function exportMyData(api: NoticedApi): Promise<unknown> {
  return api.call('GET', '/me/export');
}

/** Erases the caller from every board of their tenant. */
export function eraseMyData(api: NoticedApi): Promise<void> {
  return api.call('DELETE', '/me/data');
}
