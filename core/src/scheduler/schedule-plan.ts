/**
 * The scheduler's answer for one request (see Scheduler.plan): the accounts that can
 * serve it, best first, and what to tell the client when none can.
 */
import type { Candidate, Logger, SchedulingRequest } from '@switchyard/plugin-api';
import type { AccountRecord } from '../store/types.js';
import type { RegisteredAccountType } from '../plugins/registry-types.js';
import type { StickyBinding } from './sticky-sessions.js';

/** An account chosen as a candidate, with what the relay needs to call it. */
export interface PlannedCandidate extends Candidate {
  readonly record: AccountRecord;
  readonly accountType: RegisteredAccountType;
}

/** The scheduler's answer for one request. */
export interface SchedulePlan {
  /** The request planned for (plugin filters, affinities and error reactions see it). */
  readonly request: SchedulingRequest;
  /** The request's id: holder of the account leases and pacing turns taken for it. */
  readonly requestId: string;
  readonly log: Logger;
  /** Best first. */
  readonly candidates: readonly PlannedCandidate[];
  /** The sticky-session binding key, when the request has a session. */
  readonly stickyKey: string | undefined;
  /** The binding as planning read it (null: none), so binding afterwards needs no second read. */
  readonly stickyBinding?: StickyBinding | null;
  /** When every able account is cooling down: ms until the first one is back. */
  readonly retryAfterMs: number | undefined;
  /** Why accounts were left out (for the "no account" message and logs). */
  readonly excluded: readonly string[];
  /** A message for the client when the key's binding leaves no account. */
  readonly message?: string;
  /**
   * Set when no enabled account that serves the route's protocol admits the request's
   * model: the catalog patterns of those accounts (the models the key could use), so
   * the answer is a 404 naming them rather than a 503.
   */
  readonly modelNotServed?: { readonly servedPatterns: readonly string[] };
}

/** A key's binding to one account or a group (from its limits). */
export interface PlanBinding {
  account?: string | undefined;
  group?: string | undefined;
  fallback?: boolean | undefined;
}
