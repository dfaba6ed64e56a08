import { api, call } from '$lib/api/client';
import { Dependencies } from '$lib/constants';
import type { PageLoad } from './$types';

export const load = (async ({ depends }) => {
  depends(Dependencies.USERS);
  const [users, policy] = await Promise.all([call(api.GET('/api/users')), call(api.GET('/api/user-policy'))]);
  return { users, policy };
}) satisfies PageLoad;
