import { type Kind, isKind } from '../../core/browser';
import { DEFAULT_PERIOD, PERIODS } from './feed-filters';

/** The board's filter values ('' = any kind, anyone), as a link carries them. */
export interface FilterState {
  period: string;
  kind: Kind | '';
  person: string;
}

/** The filters a board opens with when nobody linked to others. */
export const NO_FILTERS: FilterState = { period: DEFAULT_PERIOD, kind: '', person: '' };

// A person is a roster id; anything longer or with spaces is not one, and the feed would refuse it.
const PERSON = /^[\x21-\x7e]{1,256}$/;

/**
 * The filters in a link's query (`?period=30&kind=prevented&person=…`): the page's own URL, or a
 * Teams deep link's subPageId. A value that is not one the board offers is left at its default,
 * so a mistyped or stale link still opens the board.
 */
export function filtersFromLink(query: string | undefined): FilterState {
  const params = new URLSearchParams(query ?? '');
  const period = params.get('period') ?? '';
  const kind = params.get('kind') ?? '';
  const person = params.get('person') ?? '';
  return {
    period: PERIODS.some((p) => p.value === period) ? period : DEFAULT_PERIOD,
    kind: isKind(kind) ? kind : '',
    person: PERSON.test(person) ? person : '',
  };
}

/** The query for these filters, keeping the link's other parameters (the theme, the board); defaults are left out. */
export function linkForFilters(filters: FilterState, query: string): string {
  const params = new URLSearchParams(query);
  for (const key of ['period', 'kind', 'person'] as const) {
    if (filters[key] && filters[key] !== NO_FILTERS[key]) params.set(key, filters[key]);
    else params.delete(key);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** True when the filters are the board's opening ones. */
export function isUnfiltered(filters: FilterState): boolean {
  return filters.period === NO_FILTERS.period && filters.kind === NO_FILTERS.kind && filters.person === NO_FILTERS.person;
}

// A credit id as the API makes them; anything else is not one, and is ignored.
const CREDIT = /^[A-Za-z0-9_-]{1,128}$/;

/** The credit a link opens the board at (`?credit=…`, or a Teams deep link's subPageId), when it names one. */
export function creditFromLink(query: string | undefined): string | undefined {
  const id = new URLSearchParams(query ?? '').get('credit') ?? '';
  return CREDIT.test(id) ? id : undefined;
}
