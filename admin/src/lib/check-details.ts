/**
 * Turns what an account check reported besides ok/failed (quota windows, balances, a
 * subscription tier: whatever the account type's probe returns) into short `label: value`
 * lines, without knowing any provider's shape.
 */

/** One line of details. */
export interface DetailLine {
  label: string;
  value: string;
}

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * Flattens `details` into lines, nested keys joined with a dot (`balance.usd: 12.50`);
 * list items are labelled by their `name`/`id`/`label` field when they have one. At most
 * `max` lines.
 */
export function detailLines(details: Record<string, unknown> | undefined, max = 12): DetailLine[] {
  const lines: DetailLine[] = [];
  const walk = (value: unknown, label: string): void => {
    if (lines.length >= max) return;
    const plain = scalar(value);
    if (plain !== undefined) {
      lines.push({ label, value: plain });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        const named = item && typeof item === 'object' ? (item as Record<string, unknown>) : undefined;
        const tag = named && ['name', 'id', 'label'].map((key) => named[key]).find((tagValue) => typeof tagValue === 'string');
        if (named && typeof tag === 'string') {
          const { name: _name, id: _id, label: _label, ...rest } = named;
          walk(rest, `${label}.${tag}`);
        } else walk(item, `${label}[${index}]`);
      });
      return;
    }
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) walk(inner, label ? `${label}.${key}` : key);
  };
  if (details) walk(details, '');
  return lines;
}
