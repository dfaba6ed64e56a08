import { api, call } from '$lib/api/client';
import { Dependencies } from '$lib/constants';
import { apiFilters, rangeOf, readFilters } from '$lib/usage-filters';
import type { PageLoad } from './$types';

/** The range, filters and grouping come from the URL, so a view can be bookmarked. */
export const load = (async ({ depends, url }) => {
  depends(Dependencies.USAGE);
  const filters = readFilters(url.searchParams);
  const { since, until } = rangeOf(filters);
  const bucketParam = url.searchParams.get('bucket');
  const bucket: 'minute' | 'hour' | 'day' | undefined =
    bucketParam === 'minute' || bucketParam === 'hour' || bucketParam === 'day' ? bucketParam : undefined;
  const query = {
    ...apiFilters(filters),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    ...(bucket ? { bucket } : {}),
  };
  const [summary, keys, accounts] = await Promise.all([
    call(api.GET('/api/usage/summary', { params: { query } })),
    call(api.GET('/api/keys')),
    call(api.GET('/api/accounts')),
  ]);
  const groupBy = url.searchParams.get('groupBy');
  return {
    summary,
    keys,
    accounts,
    filters,
    query,
    bucket,
    groupBy: groupBy === 'key' || groupBy === 'account' ? groupBy : 'model',
  };
}) satisfies PageLoad;
