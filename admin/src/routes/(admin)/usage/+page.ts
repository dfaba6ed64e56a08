import { api, call } from '$lib/api/client';
import { Dependencies } from '$lib/constants';
import type { PageLoad } from './$types';

/** The range and grouping come from the URL, so a view can be bookmarked. */
export const load = (async ({ depends, url }) => {
  depends(Dependencies.USAGE);
  const days = Number(url.searchParams.get('days') ?? '1');
  const since = url.searchParams.get('since') ?? new Date(Date.now() - days * 86_400_000).toISOString();
  const until = url.searchParams.get('until') ?? undefined;
  const bucket = (url.searchParams.get('bucket') ?? undefined) as 'minute' | 'hour' | 'day' | undefined;
  const keyId = url.searchParams.get('keyId') ?? undefined;
  const [summary, keys] = await Promise.all([
    call(
      api.GET('/api/usage/summary', {
        params: { query: { since, ...(until ? { until } : {}), ...(bucket ? { bucket } : {}), ...(keyId ? { keyId } : {}) } },
      }),
    ),
    call(api.GET('/api/keys')),
  ]);
  return {
    summary,
    keys,
    query: { since, until, bucket, keyId, groupBy: url.searchParams.get('groupBy') ?? 'model' },
    meta: { title: 'Usage' },
  };
}) satisfies PageLoad;
