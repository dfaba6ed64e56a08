/**
 * The static checks of a key's limits, in order: expiry (fixed date), permission by
 * protocol family, model rules, client restriction. Each refusal is a 403 whose
 * message names the rule.
 */
import { GatewayError, type ClientDetector, type InboundRequest } from '../plugin-api/index.js';
import type { KeyLimits } from './key-limits-schema.js';
import { matchesModel } from './match-model.js';

/** What the static checks look at. */
export interface AccessRequest {
  readonly family: string;
  readonly model: string | undefined;
  readonly request: InboundRequest;
  readonly now: number;
}

/** Throws the first refusal among expiry, family permission, model rules and client restriction. */
export function checkKeyAccess(limits: KeyLimits, access: AccessRequest, detectors: readonly ClientDetector[]): void {
  if (limits.expiresAt && Date.parse(limits.expiresAt) <= access.now) {
    throw new GatewayError('key_expired', `This API key expired at ${limits.expiresAt}.`, { details: { limit: 'expiresAt', expiresAt: limits.expiresAt } });
  }
  const families = limits.permissions ?? [];
  if (families.length > 0 && !families.includes(access.family)) {
    throw new GatewayError('permission_denied', `This key may not use the ${access.family} API; it is limited to: ${families.join(', ')}.`, {
      details: { limit: 'permissions', family: access.family, allowed: families },
    });
  }
  checkModel(limits, access.model);
  checkClient(limits, access.request, detectors);
}

function checkModel(limits: KeyLimits, model: string | undefined): void {
  if (!model || !limits.models) return;
  const { allow = [], deny = [] } = limits.models;
  if (deny.length > 0 && matchesModel(model, deny)) {
    throw new GatewayError('model_not_allowed', `This key may not use model ${model} (denied by the key's model rules).`, {
      details: { limit: 'models.deny', model },
    });
  }
  if (allow.length > 0 && !matchesModel(model, allow)) {
    throw new GatewayError('model_not_allowed', `This key may not use model ${model}; it is limited to: ${allow.join(', ')}.`, {
      details: { limit: 'models.allow', model, allowed: allow },
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
  throw new GatewayError('client_not_allowed', `This key only accepts requests from: ${names.join(', ')}; this request's client was not recognised as one of them.`, {
    details: { limit: 'clients', allowed },
  });
}
