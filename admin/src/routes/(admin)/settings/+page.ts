import { api, call } from '$lib/api/client';
import { Dependencies } from '$lib/constants';
import type { PageLoad } from './$types';

export const load = (async ({ depends }) => {
  depends(Dependencies.SETTINGS);
  const [settings, pricing, admins, groups, notifications] = await Promise.all([
    call(api.GET('/api/settings')),
    call(api.GET('/api/pricing')),
    call(api.GET('/api/admins')),
    call(api.GET('/api/groups')),
    call(api.GET('/api/notifications')),
  ]);
  return { settings, pricing, admins, groups, notifications };
}) satisfies PageLoad;
