/**
 * Builds one request's {@link UsageRecord} from what the relay knows: key, account,
 * protocol, models, status, timings, the tapped usage, the real cost at the live price
 * book, and the rated cost (key multiplier `limits.costMultiplier` x service multiplier).
 */
import {
  emptyUsage,
  type InboundRequest,
  type RequestFacts,
  type Usage,
  type UsageFailedAttempt,
  type UsageRecord,
} from '@switchyard/plugin-api';
import type { GatewayConfig } from '../config/schema.js';
import type { KeyRecord } from '../store/types.js';
import type { PlannedCandidate } from '../scheduler/schedule-plan.js';
import type { PriceBook, PriceQuote } from './price-book.js';

/**
 * The request a usage record is about, at whatever stage it reached (relay/request-stages.ts):
 * what is not known yet is left out of the record.
 */
export interface UsageSubject {
  readonly requestId: string;
  readonly startedAt: number;
  readonly protocol: { readonly definition: { readonly id: string } };
  readonly key?: KeyRecord | undefined;
  readonly inbound?: InboundRequest | undefined;
  readonly facts?: RequestFacts | undefined;
  /** The model the client asked for, when a model alias changed it (`facts.model` is the served one). */
  readonly requestedModel?: string | undefined;
  /** Time waited in the key's queue, once admitted. */
  readonly queueWaitMs?: number | undefined;
  /** Accounts tried and failed over from, in order (relay-service.ts). */
  readonly failedAttempts?: readonly UsageFailedAttempt[] | undefined;
}

/** What the usage record needs to know about the attempt that answered. */
export interface Served {
  candidate?: PlannedCandidate;
  status: number;
  usage: Usage | null;
  /** Set when the upstream body failed or ended early after the status went out. */
  incomplete?: boolean;
  firstByteAt?: number;
  /** The gateway's own time before the answer's headers went out (see metrics/upstream-timing). */
  overheadMs?: number;
  /** The first bytes of the answer, kept only when prompt capture is on. */
  responseSample?: Uint8Array;
  responseSampleTruncated?: boolean;
  /** The gateway's own error code when it refused or failed the request itself (no upstream answer to price). */
  reason?: string;
  /** The provider's id of what answered (the adapter's `servedModel`). */
  servedModel?: string;
  /** The price-table key the adapter asked to price the answer by before its model (`priceModel`). */
  priceModel?: string;
  /** Markers the adapter put on the record (`usageFlags`). */
  flags?: readonly string[];
}
import { formatIsoTime } from '../time/iso-time.js';

/** The key's own cost multiplier (`limits.costMultiplier`), 1 when absent or invalid. */
export function keyCostMultiplier(limits: Readonly<Record<string, unknown>> | undefined): number {
  const value = limits?.['costMultiplier'];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 1;
}

function capped(bytes: Uint8Array | undefined, max: number): { text?: string; truncated: boolean } {
  if (!bytes || bytes.length === 0) return { truncated: false };
  const slice = bytes.length > max ? bytes.subarray(0, max) : bytes;
  return { text: Buffer.from(slice).toString('utf8'), truncated: bytes.length > max };
}

const MAX_CLIENT_LENGTH = 64;
const MAX_SESSION_LENGTH = 128;

/**
 * The client program named by a User-Agent: its first product token without the version
 * (`my-cli/2.0.1 (linux)` -> `my-cli`), letters, digits and `._-` only.
 */
export function clientOf(userAgent: string | undefined): string | undefined {
  const product = userAgent
    ?.trim()
    .split(/[\s/]/, 1)[0]
    ?.replace(/[^A-Za-z0-9._-]/g, '');
  return product ? product.slice(0, MAX_CLIENT_LENGTH) : undefined;
}

/** The quote of a request the gateway refused itself: nothing used, nothing to price. */
const REFUSAL_QUOTE: PriceQuote = { micros: 0, priced: true, version: 0 };

/** What {@link buildUsageRecord} reads. */
export interface UsageRecordInput {
  config: GatewayConfig;
  priceBook: PriceBook;
  state: UsageSubject;
  served: Served;
  now?: number;
}

/** The usage record of one request (never throws on odd input: missing parts are left out). */
export function buildUsageRecord({ config, priceBook, state, served, now = Date.now() }: UsageRecordInput): UsageRecord {
  const usage = served.usage ?? emptyUsage();
  const model = state.facts?.model;
  const refused = served.reason !== undefined;
  // A refusal used nothing: it is not priced (and never listed as an unpriced model).
  // The adapter's price key when the price tables know it, else the model upstream named, else the requested one.
  const priced =
    served.priceModel !== undefined && priceBook.entryFor(served.priceModel) ? served.priceModel : (usage.model ?? model);
  const quote = refused ? REFUSAL_QUOTE : priceBook.cost(priced, usage);
  const candidate = served.candidate;
  const key = state.key;
  const multiplier = keyCostMultiplier(key?.limits) * priceBook.serviceMultiplier(candidate?.accountType.pluginId);
  // Built by assignment (not object spreads): this runs once per request.
  const record: { -readonly [K in keyof UsageRecord]: UsageRecord[K] } = {
    id: state.requestId,
    at: formatIsoTime(state.startedAt),
    keyId: key?.id ?? '',
    protocol: state.protocol.definition.id,
    status: served.status,
    stream: state.facts?.stream ?? false,
    latencyMs: now - state.startedAt,
    requests: 1,
    usage,
    costMicros: quote.micros,
    ratedCostMicros: Math.round(quote.micros * multiplier),
    costMultiplier: multiplier,
    priced: quote.priced,
    priceVersion: quote.version,
  };
  if (key) {
    record.keyName = key.name;
    if (key.owner) record.owner = key.owner;
  }
  if (candidate) {
    record.accountId = candidate.account.id;
    record.accountType = candidate.account.type;
    record.plugin = candidate.accountType.pluginId;
  }
  if (model) record.model = model;
  if (state.requestedModel !== undefined) record.requestedModel = state.requestedModel;
  if (usage.model) record.upstreamModel = usage.model;
  if (served.servedModel) record.servedModel = served.servedModel;
  if (served.flags && served.flags.length > 0) record.flags = served.flags;
  if (served.incomplete) record.incomplete = true;
  if (served.firstByteAt) record.firstByteMs = served.firstByteAt - state.startedAt;
  if (served.overheadMs !== undefined) record.overheadMs = served.overheadMs;
  if (state.queueWaitMs !== undefined) record.queueWaitMs = state.queueWaitMs;
  const client = clientOf(state.inbound?.headers['user-agent']);
  if (client) record.client = client;
  const session = state.facts?.sessionKey;
  if (session) record.session = session.slice(0, MAX_SESSION_LENGTH);
  if (state.failedAttempts && state.failedAttempts.length > 0) record.failedAttempts = [...state.failedAttempts];
  if (quote.pricedAs) record.pricedAs = quote.pricedAs;
  if (refused) {
    record.reason = served.reason;
    delete record.priceVersion;
  }
  if (config.usage.requestLog.capturePrompts) {
    const max = config.usage.requestLog.captureMaxBytes;
    const request = capped(state.inbound?.rawBody, max);
    const response = capped(served.responseSample, max);
    record.capture = {
      ...(request.text !== undefined ? { request: request.text } : {}),
      ...(response.text !== undefined ? { response: response.text } : {}),
      truncated: request.truncated || response.truncated || served.responseSampleTruncated === true,
    };
  }
  return record;
}
