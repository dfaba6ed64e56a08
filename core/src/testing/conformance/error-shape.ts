/**
 * Checks that an error a client got is either upstream's error relayed verbatim or an
 * error rendered in the route protocol's shape (never HTML, never a bare text).
 */
import assert from 'node:assert/strict';
import type { ProtocolDefinition } from '@switchyard/plugin-api';
import type { SentResponse } from '../send-request.js';

function shapeOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return Array.isArray(value) ? 'array' : typeof value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .map(
        ([name, field]) =>
          [
            name,
            field !== null && typeof field === 'object' && !Array.isArray(field) ? Object.keys(field).sort() : typeof field,
          ] as const,
      )
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/**
 * Asserts the client's error answer is upstream's body relayed verbatim, or JSON with
 * the same structure (top-level fields and the field names one level down) as what
 * the route's protocol renders.
 */
export function assertErrorInRouteShape(
  res: SentResponse,
  upstreamBody: Buffer | undefined,
  protocol: ProtocolDefinition | undefined,
): void {
  if (upstreamBody && upstreamBody.length > 0 && res.body.equals(upstreamBody)) return;
  let body: unknown;
  try {
    body = res.json();
  } catch {
    assert.fail(`status ${res.status}: the error answer is neither upstream's body nor JSON: ${res.text().slice(0, 200)}`);
  }
  assert.match(String(res.headers['content-type'] ?? ''), /json/, 'a rendered error has a JSON content type');
  if (!protocol) return;
  const sample = protocol.renderError({ code: 'upstream_error', status: res.status, message: 'sample' }).body;
  const actual = shapeOf(body) as Record<string, unknown>;
  const expected = shapeOf(sample) as Record<string, unknown>;
  // Rendered errors may carry optional fields (details); require the sample's structure to be present.
  for (const [name, inner] of Object.entries(expected)) {
    assert.ok(name in actual, `error body lacks "${name}" of the ${protocol.id} error shape: ${res.text().slice(0, 200)}`);
    if (Array.isArray(inner)) {
      for (const field of inner) {
        assert.ok(
          Array.isArray(actual[name]) && (actual[name] as string[]).includes(field),
          `error body lacks "${name}.${String(field)}" of the ${protocol.id} error shape: ${res.text().slice(0, 200)}`,
        );
      }
    }
  }
}
