/**
 * JSON with object keys sorted at every level, so equal values serialise equally
 * (used to compare declared and stored values, and to fingerprint them).
 */

/** Serialises `value` with sorted object keys; `undefined` fields are dropped as in JSON. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(value).sort()) out[name] = sortKeys((value as Record<string, unknown>)[name]);
  return out;
}
