/**
 * The request log's and the usage page's filters, read from and written to the URL (a
 * view can be bookmarked or shared), and turned into the admin API's query.
 */

/** A preset range, or `custom` (from `since` to `until`). */
export type RangeId = '24h' | '7d' | '30d' | 'custom';

/** The presets' lengths. */
export const RANGE_MS: Record<Exclude<RangeId, 'custom'>, number> = {
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

/** The filters the URL holds. */
export interface Filters {
  range: RangeId;
  since?: string;
  until?: string;
  keyId?: string;
  accountId?: string;
  model?: string;
  outcome?: 'success' | 'error';
  status?: number;
  client?: string;
  search?: string;
}

const TEXT = ['keyId', 'accountId', 'model', 'client', 'search'] as const;

/** The filters of a URL (unknown or malformed values are left out). */
export function readFilters(params: URLSearchParams, fallback: RangeId = '24h'): Filters {
  const range = params.get('range');
  const filters: Filters = {
    range: range === '7d' || range === '30d' || range === 'custom' || range === '24h' ? range : fallback,
  };
  if (filters.range === 'custom') {
    const since = params.get('since');
    const until = params.get('until');
    if (since && !Number.isNaN(Date.parse(since))) filters.since = since;
    if (until && !Number.isNaN(Date.parse(until))) filters.until = until;
  }
  for (const name of TEXT) {
    const value = params.get(name)?.trim();
    if (value) filters[name] = value;
  }
  const outcome = params.get('outcome');
  if (outcome === 'success' || outcome === 'error') filters.outcome = outcome;
  const status = Number(params.get('status'));
  if (Number.isInteger(status) && status >= 100 && status <= 599) filters.status = status;
  return filters;
}

/** The URL search of `filters` (plus extra parameters such as paging). */
export function filterSearch(filters: Filters, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...filters, ...extra })) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  return params.toString();
}

/** The time range of `filters` as the API takes it, at `now`. */
export function rangeOf(filters: Filters, now = Date.now()): { since?: string; until?: string } {
  if (filters.range === 'custom') return { since: filters.since, until: filters.until };
  return { since: new Date(now - RANGE_MS[filters.range]).toISOString() };
}

/** The API query of the filters besides the range. */
export function apiFilters(filters: Filters) {
  return {
    ...(filters.keyId ? { keyId: filters.keyId } : {}),
    ...(filters.accountId ? { accountId: filters.accountId } : {}),
    ...(filters.model ? { model: filters.model } : {}),
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(filters.status !== undefined ? { status: filters.status } : {}),
    ...(filters.client ? { client: filters.client } : {}),
    ...(filters.search ? { search: filters.search } : {}),
  };
}

/** True when any filter besides the range is set. */
export function hasFilters(filters: Filters): boolean {
  return Object.keys(apiFilters(filters)).length > 0;
}
