// Every admin page needs an admin's session: without one, go to the login page; a user
// (role user) goes to their own portal instead (the API would answer 403 anyway).
import { redirect } from '@sveltejs/kit';
import { base } from '$app/paths';
import { api } from '$lib/api/client';
import type { LayoutLoad } from './$types';

export const load = (async ({ url }) => {
  const { data, response } = await api.GET('/api/session');
  if (response.status === 401 || !data) redirect(307, `${base}/login?next=${encodeURIComponent(url.pathname)}`);
  if (data.role !== 'admin') redirect(307, `${base}/me`);
  return { session: data };
}) satisfies LayoutLoad;
