import { api, call } from '$lib/api/client';
import { Dependencies } from '$lib/constants';
import type { PageLoad } from './$types';

export const load = (async ({ depends, url }) => {
  depends(Dependencies.USAGE);
  const before = url.searchParams.get('before') ?? undefined;
  const keyId = url.searchParams.get('keyId') ?? undefined;
  const [log, keys] = await Promise.all([
    call(
      api.GET('/api/requests', { params: { query: { limit: 50, ...(before ? { before } : {}), ...(keyId ? { keyId } : {}) } } }),
    ),
    call(api.GET('/api/keys')),
  ]);
  return { log, keys, query: { before, keyId }, meta: { title: 'Request log' } };
}) satisfies PageLoad;
