/**
 * A relayed request's stages, each a type that says what is known by then:
 * received (a route took it) -> authenticated (its key, when the route needs one) ->
 * described (the body read: the request as plugins see it, and what its protocol read
 * from it) -> admitted (under its key's limits: it holds a slot).
 *
 * A request is one object, widened at each stage by {@link advance}, so a refusal at any
 * point (the request log's record of it) sees everything learnt until then.
 */
import type { InboundRequest, Logger, RequestFacts, UsageFailedAttempt } from '@switchyard/plugin-api';
import type { RegisteredProtocol, RegisteredRoute } from '../plugins/registry-types.js';
import type { KeyRecord } from '../store/types.js';
import type { KeyLimits } from '../limits/key-limits-schema.js';

/** Known from the moment a route takes the request. */
export interface ReceivedRequest {
  readonly requestId: string;
  readonly startedAt: number;
  readonly log: Logger;
  readonly route: RegisteredRoute;
  readonly protocol: RegisteredProtocol;
  /** Set once response bytes went out: errors then end the stream instead of a status. */
  streaming: boolean;
  /** Set once the request's usage record was queued: a later error must not record it again. */
  usageRecorded: boolean;
}

/** The client's key was found (and is then checked): undefined on routes with `auth: 'none'`. */
export interface AuthenticatedRequest extends ReceivedRequest {
  readonly key: KeyRecord | undefined;
}

/** The body was read: the request as plugins see it, and what its protocol read from it. */
export interface DescribedRequest extends AuthenticatedRequest {
  readonly inbound: InboundRequest;
  readonly facts: RequestFacts;
  /**
   * The model the client asked for, set when a model alias changed it: `inbound` and
   * `facts` then name the served model (keys/model-aliases.ts).
   */
  readonly requestedModel?: string;
}

/** Admitted under its key's limits (key-admission.ts): it holds one of the key's slots. */
export interface AdmittedRequest extends DescribedRequest {
  readonly key: KeyRecord;
  readonly limits: KeyLimits;
  /** How long it waited in the key's queue, in ms (not the gateway's overhead). */
  readonly queueWaitMs: number;
  /** Accounts tried and failed over from so far, in order (for the usage record). */
  readonly failedAttempts: UsageFailedAttempt[];
}

/** `request` at its next stage: the same object, with what the stage learnt. */
export function advance<T extends ReceivedRequest, U extends object>(request: T, learnt: U): T & U {
  return Object.assign(request, learnt);
}
