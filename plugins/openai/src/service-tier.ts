/** Keeps a non-default OpenAI `service_tier` next to the usage object it priced. */
import type { Usage } from '@switchyard/plugin-api';

/** `raw` with `service_tier` added when the tier is set and not `default`/`auto`. */
export function withServiceTier(raw: Record<string, unknown>, tier: unknown): Usage['raw'] {
  return typeof tier === 'string' && tier !== 'default' && tier !== 'auto' ? Object.assign({}, raw, { service_tier: tier }) : raw;
}
