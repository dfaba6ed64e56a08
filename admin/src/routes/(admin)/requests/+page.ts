import { api, call } from '$lib/api/client';
import { Dependencies } from '$lib/constants';
import type { PageLoad } from './$types';
import { apiFilters, rangeOf, readFilters } from '$lib/usage-filters';

/** Newest first, 50 per page; `before` pages back. The filters live in the URL. */
export const load = (async ({ depends, url }) => {
  depends(Dependencies.USAGE);
  const filters = readFilters(url.searchParams);
  const page = url.searchParams.get('before') ?? undefined;
  const { since, until } = rangeOf(filters);
  // The range's end, or the page's when paging back.
  const before = page && (!until || page < until) ? page : until;
  const query = { ...apiFilters(filters), ...(since ? { since } : {}), ...(before ? { before } : {}) };
  const [log, keys, accounts] = await Promise.all([
    call(api.GET('/api/requests', { params: { query: { ...query, limit: 50 } } })),
    call(api.GET('/api/keys')),
    call(api.GET('/api/accounts')),
  ]);
  return { log, keys, accounts, filters, query, page };
}) satisfies PageLoad;
