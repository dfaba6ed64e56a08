import { api, call } from '$lib/api/client';
import { Dependencies } from '$lib/constants';
import { rangeOf, readFilters } from '$lib/usage-filters';
import type { PageLoad } from './$types';

/** Today's numbers, and the charts over the range in the URL (default the last 24 hours). */
export const load = (async ({ depends, url }) => {
  depends(Dependencies.DASHBOARD);
  const filters = readFilters(url.searchParams);
  const { since, until } = rangeOf(filters);
  const [dashboard, summary] = await Promise.all([
    call(api.GET('/api/dashboard')),
    // The charts show the eight largest groups of each list.
    call(
      api.GET('/api/usage/summary', {
        params: { query: { top: 8, ...(since ? { since } : {}), ...(until ? { until } : {}) } },
      }),
    ),
  ]);
  return { dashboard, summary, filters };
}) satisfies PageLoad;
