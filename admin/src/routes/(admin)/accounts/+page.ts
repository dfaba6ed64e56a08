import { api, call } from '$lib/api/client';
import { Dependencies } from '$lib/constants';
import type { PageLoad } from './$types';

export const load = (async ({ depends }) => {
  depends(Dependencies.ACCOUNTS);
  const [accounts, types] = await Promise.all([call(api.GET('/api/accounts')), call(api.GET('/api/account-types'))]);
  return { accounts, types };
}) satisfies PageLoad;
