/**
 * The one error helper every page uses: it extracts the server's message and field
 * problems, sends a signed-out admin to the login page, shows a toast, and returns the
 * message for inline display.
 */
import { goto } from '$app/navigation';
import { base } from '$app/paths';
import { ApiError } from './api/client';
import { t } from './messages/locale.svelte';
import { toast } from './toasts.svelte';

/** Handles a failed action; `context` says what was being done ("Could not create the key"). */
export function handleError(error: unknown, context: string): string {
  if (error instanceof ApiError && error.status === 401 && !location.pathname.startsWith(`${base}/login`)) {
    void goto(`${base}/login?next=${encodeURIComponent(location.pathname)}`);
    return t('common.signedOut');
  }
  const message = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
  const problems = error instanceof ApiError ? error.problems : [];
  toast(`${context}: ${message}`, 'error', problems);
  return problems.length > 0 ? `${message} ${problems.join('; ')}` : message;
}
