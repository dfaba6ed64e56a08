import { api, call } from '$lib/api/client';
import { Dependencies } from '$lib/constants';
import type { PageLoad } from './$types';

export const load = (async ({ depends }) => {
  depends(Dependencies.DASHBOARD);
  const [dashboard, summary] = await Promise.all([
    call(api.GET('/api/dashboard')),
    call(api.GET('/api/usage/summary', { params: { query: { bucket: 'hour' } } })),
  ]);
  return { dashboard, summary, meta: { title: 'Dashboard' } };
}) satisfies PageLoad;
