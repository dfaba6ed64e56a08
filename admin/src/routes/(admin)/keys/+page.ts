import { api, call } from '$lib/api/client';
import { Dependencies } from '$lib/constants';
import type { PageLoad } from './$types';

export const load = (async ({ depends }) => {
  depends(Dependencies.KEYS);
  const [keys, accounts, groups, options] = await Promise.all([
    call(api.GET('/api/keys')),
    call(api.GET('/api/accounts')),
    call(api.GET('/api/groups')),
    call(api.GET('/api/key-options')),
  ]);
  return {
    keys,
    accounts: accounts.map((account) => ({ id: account.id, name: account.name })),
    groups: groups.map((group) => ({ id: group.id, name: group.name })),
    options,
  };
}) satisfies PageLoad;
