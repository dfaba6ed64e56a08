/**
 * The gateway's answers when no account serves a request: the model is served by none the
 * key can use (404), every able account is cooling down, paused or busy (503 with
 * Retry-After), or the key's binding leaves none.
 */
import { GatewayError } from '@switchyard/plugin-api';
import type { SchedulePlan } from '../scheduler/schedule-plan.js';

/**
 * Retry-After when accounts admit the model but none can serve now and none says when it
 * is back (paused by an operator, or at its concurrency limit).
 */
export const UNAVAILABLE_RETRY_AFTER_MS = 30_000;

/** The most patterns a "model not found" message lists. */
const LISTED_PATTERNS = 40;

/**
 * The answer when the plan has no candidate (or none could be tried). `keyAllows` is the
 * key's own model allow-list, named in a 404 so the holder sees both halves of what they
 * may use.
 */
export function noAccountError(plan: SchedulePlan, keyAllows?: readonly string[]): GatewayError {
  const protocol = plan.request.protocol;
  const model = plan.request.facts.model;
  if (model !== undefined && plan.modelNotServed) {
    const served = plan.modelNotServed.servedPatterns;
    const listed = served.length > LISTED_PATTERNS ? [...served.slice(0, LISTED_PATTERNS), '…'] : served;
    const rules = keyAllows?.length ? ` (and the key's own model rules allow only ${keyAllows.join(', ')})` : '';
    const which =
      served.length > 0
        ? `Models this key can use: ${listed.join(', ')}${rules}.`
        : `No account this key can use serves protocol ${protocol}.`;
    return new GatewayError(
      'model_not_found',
      `The model ${JSON.stringify(model)} is not served by any account this key can use. ${which}`,
      {
        details: { model, models: served },
      },
    );
  }
  const what = model ? `model ${model}` : `protocol ${protocol}`;
  const retryAfterMs = plan.retryAfterMs ?? UNAVAILABLE_RETRY_AFTER_MS;
  if (plan.message) return new GatewayError('no_account_available', plan.message, { retryAfterMs });
  if (plan.retryAfterMs !== undefined) {
    return new GatewayError('no_account_available', `Every account that can serve ${what} is cooling down; retry later.`, {
      retryAfterMs,
    });
  }
  return new GatewayError(
    'no_account_available',
    `No account that serves ${what} is available now (paused or busy); retry later.`,
    { retryAfterMs },
  );
}

/** The answer when every able account was skipped because it was at its concurrency limit (or its pacing turn). */
export function allBusyError(): GatewayError {
  return new GatewayError(
    'no_account_available',
    'Every account able to serve this request is at its concurrency limit; retry shortly.',
    { retryAfterMs: 1000 },
  );
}
