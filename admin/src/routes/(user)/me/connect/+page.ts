import { api, call } from '$lib/api/client';
import type { PageLoad } from './$types';

export const load = (async () => ({
  plugins: await call(api.GET('/api/me/connect')),
})) satisfies PageLoad;
