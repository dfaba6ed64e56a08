/**
 * Downloads an admin API route's CSV form (`Accept: text/csv`) as a file: the browser's
 * own download, named after the route's answer.
 */
import { api, ApiError } from './api/client';
import { t } from './messages/locale.svelte';

/** The CSV of `GET /api/requests` or `GET /api/usage/summary` with `query`, saved as `filename`. */
export async function downloadCsv(
  path: '/api/requests' | '/api/usage/summary',
  query: Record<string, string | number>,
  filename: string,
): Promise<void> {
  const { data, response } = await api.GET(path, {
    params: { query },
    headers: { accept: 'text/csv' },
    parseAs: 'blob',
  });
  if (!response.ok || !(data instanceof Blob))
    throw new ApiError(response.status, t('forms.requestFailed', { status: response.status }));
  const url = URL.createObjectURL(data);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
