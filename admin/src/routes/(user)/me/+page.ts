import { api, call } from '$lib/api/client';
import { Dependencies } from '$lib/constants';
import type { PageLoad } from './$types';

export const load = (async ({ depends }) => {
  depends(Dependencies.ME);
  const [me, keys, usage] = await Promise.all([
    call(api.GET('/api/me')),
    call(api.GET('/api/me/keys')),
    call(api.GET('/api/me/usage')),
  ]);
  return { me, keys, usage };
}) satisfies PageLoad;
