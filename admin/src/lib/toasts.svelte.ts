/**
 * Short messages shown in the corner: errors from `handleError`, and confirmations.
 */

/** One toast. */
export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
  details: string[];
}

let next = 1;

/** The toasts on screen. */
export const toasts = $state<Toast[]>([]);

/** Shows a toast for a few seconds (errors stay longer). */
export function toast(message: string, kind: Toast['kind'] = 'info', details: string[] = []): void {
  const id = next++;
  toasts.push({ id, kind, message, details });
  setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 3000);
}

/** Removes a toast. */
export function dismiss(id: number): void {
  const index = toasts.findIndex((entry) => entry.id === id);
  if (index >= 0) toasts.splice(index, 1);
}
