/**
 * Sends an upstream answer to the client: status and headers at once, then the body as
 * it arrives (pumped in the background, so Koa can start writing), then the usage
 * record. Also sends an upstream error answer through when no account could serve.
 */
import type { Context } from 'koa';
import type {
  StreamTranslator,
  TranslatorDefinition,
  Usage,
  UpstreamErrorResponse,
  UpstreamResponse,
} from '@switchyard/plugin-api';
import type { PlannedCandidate } from '../scheduler/schedule-plan.js';
import { clientResponseHeaders } from './forward-headers.js';
import { jsonUsageTap } from './json-usage-tap.js';
import { pumpResponse } from './pump-response.js';
import { takeConvertedHead } from './stream-start-answer.js';
import type { RelayDeps } from './relay-deps.js';
import type { AdmittedRequest } from './request-stages.js';
import { buildUsageRecord, type Served } from '../usage/build-usage-record.js';
import { captureTap } from '../usage/capture-tap.js';
import { gatewayOverheadMs, OVERHEAD_HEADER } from '../metrics/upstream-timing.js';
import { STREAM_INTERRUPTED } from './stream-interrupted.js';
import { systemClock } from '../time/clock.js';

/** What the adapter said about its answer for the usage record: what served it, its price key and its flags. */
function adapterNotes(response: UpstreamResponse, served: Served, state: AdmittedRequest): void {
  if (response.servedModel !== undefined) served.servedModel = response.servedModel;
  if (response.priceModel !== undefined) served.priceModel = response.priceModel;
  if (response.usageFlags === undefined) return;
  try {
    const flags = response.usageFlags(served.usage);
    if (flags.length > 0) served.flags = flags;
  } catch (error) {
    state.log.error('usageFlags failed', { error });
  }
}

/** Writes one usage record for the request. */
export function recordUsage(deps: RelayDeps, state: AdmittedRequest, served: Served): void {
  if (!deps.usageRecorder.enabled) return;
  state.usageRecorded = true;
  try {
    deps.usageRecorder.record(
      buildUsageRecord({ config: deps.config, priceBook: deps.priceBook, state, served, now: (deps.clock ?? systemClock).now() }),
    );
  } catch (error) {
    state.log.error('building the usage record failed', { error });
  }
}

function contentType(headers: Record<string, string | string[] | undefined>): string {
  const value = headers['content-type'];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Buffers a unary translated answer and converts it whole at the end. */
function unaryTranslator(translator: TranslatorDefinition, state: AdmittedRequest, stream: boolean): StreamTranslator {
  const chunks: Uint8Array[] = [];
  const context = {
    model: state.facts.model,
    stream,
    operation: state.route.definition.operation ?? state.route.definition.path,
    clientBody: state.inbound.body,
  };
  return {
    push(chunk) {
      chunks.push(chunk);
      return null;
    },
    end() {
      return JSON.stringify(translator.response(JSON.parse(Buffer.concat(chunks).toString('utf8')), context));
    },
  };
}

/**
 * Commits to `response`: sets status and headers, starts pumping. Resolves when the
 * body is fully delivered (or abandoned) and the usage is recorded.
 */
export function deliverResponse(
  ctx: Context,
  deps: RelayDeps,
  state: AdmittedRequest,
  candidate: PlannedCandidate,
  answered: { response: UpstreamResponse; translator?: TranslatorDefinition; stream: boolean },
  signal: AbortSignal,
): Promise<void> {
  const { response, translator } = answered;
  const upstreamProtocol = deps.registry.protocol(candidate.protocol)!.definition;
  const isStream = answered.stream || contentType(response.headers).includes('event-stream');
  const headers = clientResponseHeaders(response.headers);
  if (translator) headers['content-type'] = isStream ? 'text/event-stream; charset=utf-8' : 'application/json';
  if (isStream) {
    headers['cache-control'] ??= 'no-cache';
    headers['x-accel-buffering'] = 'no';
  }
  // The relay writes the body itself: no PassThrough hop and no Koa pipeline per answer.
  ctx.respond = false;
  const out = ctx.res;
  const overheadMs = gatewayOverheadMs(state, signal, (deps.clock ?? systemClock).now());
  if (overheadMs !== undefined) headers[OVERHEAD_HEADER] = String(overheadMs);
  out.statusCode = response.status;
  for (const name in headers) out.setHeader(name, headers[name]!);
  state.streaming = true;

  const served: Served = { candidate, status: response.status, usage: null, ...(overheadMs !== undefined ? { overheadMs } : {}) };
  const baseTap = isStream ? upstreamProtocol.usage.createStreamTap() : jsonUsageTap(upstreamProtocol.usage);
  const capture = deps.config.usage.requestLog;
  const tap = capture.capturePrompts ? captureTap(baseTap, served, capture.captureMaxBytes) : baseTap;
  const streamTranslator = translator
    ? isStream
      ? translator.createStream({
          model: state.facts.model,
          stream: true,
          operation: state.route.definition.operation ?? state.route.definition.path,
          clientBody: state.inbound.body,
        })
      : unaryTranslator(translator, state, false)
    : undefined;
  const encoding = response.headers['content-encoding'];

  // A complete answer is recorded before its last bytes go out, and they go out once the
  // record is in the usage journal: no client sees an answer end whose record a crash could lose.
  let recorded = false;
  const recordBeforeEnd = (end: () => void): void => {
    try {
      served.usage = tap.end();
    } catch (error) {
      state.log.warn('reading usage failed', { error });
    }
    adapterNotes(response, served, state);
    recordUsage(deps, state, served);
    recorded = true;
    deps.usageRecorder.whenJournaled(end);
  };

  return (async () => {
    const outcome = await pumpResponse({
      source: response.body,
      transform: response.bodyTransform,
      head: takeConvertedHead(response),
      contentEncoding: Array.isArray(encoding) ? encoding[0] : encoding,
      tap,
      translator: streamTranslator,
      out,
      signal,
      onFirstByte: () => (served.firstByteAt = (deps.clock ?? systemClock).now()),
      // An adapter that reads usage itself settles it asynchronously: recorded after the end.
      beforeEnd: response.usage === undefined ? recordBeforeEnd : undefined,
    });
    if (recorded) return;
    if (!outcome.completed && !signal.aborted) {
      served.incomplete = true;
      state.log.warn('upstream stream ended early', { error: outcome.error });
      const render = state.protocol.definition.renderStreamError;
      if (render && isStream && !out.destroyed) {
        out.write(render({ ...STREAM_INTERRUPTED }));
      }
    }
    if (signal.aborted) served.status = 499;
    if (!out.writableEnded) out.end();
    let usage: Usage | null = null;
    try {
      usage = (await response.usage) ?? tap.end();
    } catch (error) {
      state.log.warn('reading usage failed', { error });
    }
    served.usage = usage;
    adapterNotes(response, served, state);
    recordUsage(deps, state, served);
  })();
}

/** Sends an upstream error answer to the client (translated into the client's protocol when needed). */
export function deliverUpstreamError(
  ctx: Context,
  state: AdmittedRequest,
  answer: UpstreamErrorResponse,
  translator: TranslatorDefinition | undefined,
): void {
  ctx.status = answer.status;
  const headers = clientResponseHeaders(answer.headers);
  if (!translator) {
    ctx.set(headers);
    ctx.body = Buffer.from(answer.body);
    return;
  }
  const retryAfter = headers['retry-after'];
  let body: unknown;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(answer.body).toString('utf8'));
    body = translator.error?.(parsed, answer.status, {
      model: state.facts.model,
      stream: state.facts.stream ?? false,
      operation: state.route.definition.operation ?? state.route.definition.path,
      clientBody: state.inbound.body,
    });
  } catch {
    body = undefined;
  }
  body ??= state.protocol.definition.renderError({
    code: 'upstream_error',
    status: answer.status,
    message: `The upstream provider answered ${answer.status}.`,
  }).body;
  if (retryAfter) ctx.set('retry-after', retryAfter);
  ctx.body = body as object;
}
