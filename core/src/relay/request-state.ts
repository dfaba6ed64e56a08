/**
 * What the app's middleware learns about a request before the relay runs, kept on
 * `ctx.state.switchyard`.
 */
import type { InboundRequest, Logger, RequestFacts } from '@switchyard/plugin-api';
import type { RegisteredProtocol, RegisteredRoute } from '../plugins/registry-types.js';
import type { KeyRecord } from '../store/types.js';

export interface RequestState {
  readonly requestId: string;
  readonly startedAt: number;
  readonly log: Logger;
  readonly route: RegisteredRoute;
  readonly protocol: RegisteredProtocol;
  key?: KeyRecord;
  inbound?: InboundRequest;
  facts?: RequestFacts;
  /** Set once response bytes went out: errors then end the stream instead of a status. */
  streaming: boolean;
  /** Set once the request's usage record was queued: a later error must not record it again. */
  usageRecorded: boolean;
}

declare module 'koa' {
  interface DefaultState {
    switchyard?: RequestState;
  }
}
