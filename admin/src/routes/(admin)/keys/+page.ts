import { api, call } from '$lib/api/client';
import { Dependencies } from '$lib/constants';
import type { PageLoad } from './$types';

export const load = (async ({ depends }) => {
  depends(Dependencies.KEYS);
  return { keys: await call(api.GET('/api/keys')), meta: { title: 'Keys' } };
}) satisfies PageLoad;
