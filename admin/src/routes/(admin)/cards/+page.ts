import { api, call } from '$lib/api/client';
import { Dependencies } from '$lib/constants';
import type { PageLoad } from './$types';

export const load = (async ({ depends }) => {
  depends(Dependencies.CARDS);
  const [batches, redemptions] = await Promise.all([
    call(api.GET('/api/cards/batches')),
    call(api.GET('/api/cards/redemptions', { params: { query: { limit: 100 } } })),
  ]);
  return { batches, redemptions };
}) satisfies PageLoad;
