/**
 * The static checks of a key's limits, in order: expiry (fixed date), permission by
 * protocol family, model rules, client restriction. Each refusal is a 403 whose
 * message names the rule. Model rules fail closed: what they cannot judge is refused.
 */
import { GatewayError, type ClientDetector, type InboundRequest } from '@switchyard/plugin-api';
import type { KeyLimits } from './key-limits-schema.js';
import { matchesModel, normaliseModel } from './match-model.js';

/** What the static checks look at. */
export interface AccessRequest {
  readonly family: string;
  readonly model: string | undefined;
  /**
   * True when the request may lack a model: the route answers it itself (a model list)
   * or the protocol says it is not a model call (`RequestFacts.modelless`).
   */
  readonly modelOptional: boolean;
  readonly request: InboundRequest;
}

/** Throws the first refusal among expiry, family permission, model rules and client restriction. */
export function checkKeyAccess(
  limits: KeyLimits,
  access: AccessRequest,
  now: number,
  detectors: readonly ClientDetector[],
): void {
  if (limits.expiresAt && Date.parse(limits.expiresAt) <= now) {
    throw new GatewayError('key_expired', `This API key expired at ${limits.expiresAt}.`, {
      details: { limit: 'expiresAt', expiresAt: limits.expiresAt },
    });
  }
  const families = limits.permissions ?? [];
  if (families.length > 0 && !families.includes(access.family)) {
    throw new GatewayError(
      'permission_denied',
      `This key may not use the ${access.family} API; it is limited to: ${families.join(', ')}.`,
      {
        details: { limit: 'permissions', family: access.family, allowed: families },
      },
    );
  }
  checkModel(limits, access.model, access.modelOptional);
  checkClient(limits, access.request, detectors);
}

/** A client-chosen model for a message: capped, quoted, control characters escaped. */
function quoted(model: string): string {
  return JSON.stringify(model.length > 80 ? `${model.slice(0, 80)}…` : model);
}

function checkModel(limits: KeyLimits, model: string | undefined, modelOptional: boolean): void {
  const allow = limits.models?.allow ?? [];
  const deny = limits.models?.deny ?? [];
  if (allow.length === 0 && deny.length === 0) return;
  if (model === undefined) {
    if (modelOptional) return;
    // Absent, or not a non-empty string (an array, an object): the rules cannot judge it.
    throw new GatewayError(
      'model_not_allowed',
      'This key has model rules, and this request names no model they can judge: send the model as a non-empty string.',
      {
        details: { limit: 'models', reason: 'no_model' },
      },
    );
  }
  const judged = normaliseModel(model);
  if (judged === undefined) {
    throw new GatewayError(
      'model_not_allowed',
      `This key has model rules, and they cannot judge the model ${quoted(model)}: a model id is printable ASCII without spaces.`,
      {
        details: { limit: 'models', reason: 'unreadable_model' },
      },
    );
  }
  if (deny.length > 0 && matchesModel(judged, deny)) {
    throw new GatewayError('model_not_allowed', `This key may not use model ${judged} (denied by the key's model rules).`, {
      details: { limit: 'models.deny', model: judged },
    });
  }
  if (allow.length > 0 && !matchesModel(judged, allow)) {
    throw new GatewayError('model_not_allowed', `This key may not use model ${judged}; it is limited to: ${allow.join(', ')}.`, {
      details: { limit: 'models.allow', model: judged, allowed: allow },
    });
  }
}

function checkClient(limits: KeyLimits, request: InboundRequest, detectors: readonly ClientDetector[]): void {
  const allowed = limits.clients ?? [];
  if (allowed.length === 0) return;
  const known = detectors.filter((detector) => allowed.includes(detector.id));
  for (const detector of known) {
    try {
      if (detector.matches(request)) return;
    } catch {
      // A detector that throws does not recognise the request.
    }
  }
  const names = allowed.map((id) => known.find((detector) => detector.id === id)?.label ?? id);
  throw new GatewayError(
    'client_not_allowed',
    `This key only accepts requests from: ${names.join(', ')}; this request's client was not recognised as one of them.`,
    {
      details: { limit: 'clients', allowed },
    },
  );
}
