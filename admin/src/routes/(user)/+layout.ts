// The user portal needs a session of any role (admins may keep keys of their own too).
import { redirect } from '@sveltejs/kit';
import { base } from '$app/paths';
import { api } from '$lib/api/client';
import type { LayoutLoad } from './$types';

export const load = (async ({ url }) => {
  const { data, response } = await api.GET('/api/session');
  if (response.status === 401 || !data) redirect(307, `${base}/login?next=${encodeURIComponent(url.pathname)}`);
  return { session: data };
}) satisfies LayoutLoad;
