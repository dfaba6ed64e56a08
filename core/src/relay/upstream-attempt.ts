/**
 * One try of a request on one account: fresh credentials, translation when the account
 * speaks another protocol, the adapter call, and the reading of an error answer (or of
 * an error sent as a stream's first event). Nothing reaches the client here, so a
 * failure can still fail over to the next account.
 */
import {
  GatewayError,
  headerValue,
  isUpstreamError,
  transformedChunks,
  UpstreamError,
  type Logger,
  type RelayRequest,
  type TranslatorDefinition,
  type UpstreamErrorResponse,
  type UpstreamResponse,
} from '@switchyard/plugin-api';
import type { AttemptSlot } from '../scheduler/attempt-slots.js';
import { classifyUpstreamError } from '../scheduler/classify-upstream-error.js';
import { upstreamRequestHeaders } from './forward-headers.js';
import { isLocalFailure } from './local-failure.js';
import { decodedBody, isReadableEncoding } from './pump-response.js';
import { ensureFreshCredentials } from './refresh-credentials.js';
import type { RelayDeps } from './relay-deps.js';
import type { AdmittedRequest } from './request-stages.js';
import type { ResolvedAccount } from './resolved-account.js';
import { isEventStream, streamStartAnswer } from './stream-start-answer.js';

const MAX_ERROR_BODY = 64 * 1024;

/** An attempt the account answered: the answer to deliver. */
export interface AnsweredAttempt {
  kind: 'answered';
  response: UpstreamResponse;
  account: ResolvedAccount;
  translator?: TranslatorDefinition;
  stream: boolean;
}

/** An attempt the account failed: the classified error and, when upstream answered, its error answer. */
export interface FailedAttempt {
  kind: 'failed';
  error: UpstreamError;
  answer?: UpstreamErrorResponse;
  translator?: TranslatorDefinition;
}

/** The result of one attempt. */
export type AttemptResult = AnsweredAttempt | FailedAttempt | { kind: 'aborted' };

async function readCapped(body: UpstreamResponse['body']): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      if (size < MAX_ERROR_BODY) chunks.push(chunk.subarray(0, MAX_ERROR_BODY - size));
      size += chunk.length;
    }
  } catch {
    // A cut error body still classifies by status.
  }
  return Buffer.concat(chunks);
}

/** An error answer's body as the client's protocol has it (through the adapter's body transform, when any). */
function errorBody(response: UpstreamResponse): UpstreamResponse['body'] {
  if (response.bodyTransform === undefined) return response.body;
  const encoding = headerValue(response.headers['content-encoding']);
  if (!isReadableEncoding(encoding)) return response.body;
  return transformedChunks(decodedBody(response.body, encoding), response.bodyTransform);
}

function asUpstreamError(error: unknown, fallback: UpstreamError['kind']): UpstreamError {
  if (isUpstreamError(error)) return error;
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const kind = /TIMEOUT|ECONN|ENOTFOUND|EAI_AGAIN|EPIPE|SOCKET|UND_ERR/.test(code) ? 'network' : fallback;
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamError(kind, `${kind === 'network' ? 'upstream unreachable' : 'upstream call failed'}: ${message}`, {
    cause: error,
  });
}

/**
 * The gateway's own failure to send (see {@link isLocalFailure}): logged for operators,
 * answered 500 to the client. No cooldown and no failover: the next account would fail
 * the same way.
 */
function localFailure(error: unknown, log: Logger, during: string): GatewayError {
  log.error(`the gateway failed ${during}; no account is blamed`, { error });
  return new GatewayError('internal_error', 'The gateway failed to send this request upstream.', { cause: error });
}

/**
 * Tries the slot's account once. A failure of its upstream is returned (for the slot to
 * cool the account down); a failure of the gateway's own is thrown as a GatewayError.
 */
export async function attemptUpstream(
  deps: RelayDeps,
  state: AdmittedRequest,
  slot: Pick<AttemptSlot, 'candidate' | 'log'>,
  signal: AbortSignal,
): Promise<AttemptResult> {
  const { inbound, facts } = state;
  const { candidate, log } = slot;
  const routeProtocol = state.protocol.definition.id;
  const fail = (error: UpstreamError, answer?: UpstreamErrorResponse, translator?: TranslatorDefinition): AttemptResult => {
    if (signal.aborted) return { kind: 'aborted' };
    return { kind: 'failed', error, ...(answer ? { answer } : {}), ...(translator ? { translator } : {}) };
  };

  // The scheduler's record is at most a couple of seconds old; a refresh re-reads the store.
  let account = deps.accounts.resolveRecord(candidate.record);
  const http = deps.http.client(account.proxyUrl);
  const kv = deps.pluginKv(candidate.accountType.pluginId);
  try {
    account = await ensureFreshCredentials(account, candidate.accountType, {
      leases: deps.store.leases,
      accountState: deps.store.accountState,
      accounts: deps.accounts,
      http,
      kv,
      log,
      signal,
      holder: state.requestId,
      ...(deps.clock ? { clock: deps.clock } : {}),
      onRefreshFailed: (error) => deps.accountEvents?.tokenRefreshFailed(candidate.account, error),
    });
  } catch (error) {
    if (signal.aborted) return { kind: 'aborted' };
    if (isLocalFailure(error)) throw localFailure(error, log, 'refreshing credentials');
    return fail(asUpstreamError(error, 'auth_failed'));
  }

  const translator =
    candidate.protocol === routeProtocol ? undefined : deps.registry.translator(routeProtocol, candidate.protocol);
  let operation = state.route.definition.operation ?? state.route.definition.path;
  let body = inbound.body;
  let stream = facts.stream;
  if (translator) {
    try {
      const translated = translator.request(inbound.body, { model: facts.model, stream, operation, clientBody: inbound.body });
      body = translated.body;
      operation = translated.operation ?? operation;
      stream = translated.stream ?? stream;
    } catch (error) {
      // A translator refuses what the client sent: the client's error, told to the client.
      throw new GatewayError('invalid_request', `The request cannot be converted for this account: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const request: RelayRequest = {
    protocol: candidate.protocol,
    operation,
    method: inbound.method,
    path: inbound.path,
    params: inbound.params,
    query: inbound.query,
    headers: upstreamRequestHeaders(inbound.headers),
    body,
    rawBody: inbound.rawBody,
    translated: translator !== undefined,
    model: facts.model,
    stream,
    ...(facts.sessionKey ? { sessionKey: facts.sessionKey } : {}),
  };

  let response: UpstreamResponse;
  try {
    response = await candidate.accountType.definition.adapter.send({
      request,
      account: account.view,
      credentials: account.credentials,
      http,
      signal,
      log,
      kv,
    });
  } catch (error) {
    if (signal.aborted) return { kind: 'aborted' };
    if (isLocalFailure(error)) throw localFailure(error, log, 'building the upstream request');
    return fail(asUpstreamError(error, 'network'), undefined, translator);
  }
  const classify = (answer: UpstreamErrorResponse): UpstreamError => {
    let error: UpstreamError | undefined;
    try {
      error = candidate.accountType.definition.classifyError?.(answer);
    } catch (classifyError) {
      log.error('classifyError failed', { error: classifyError });
    }
    return error ?? classifyUpstreamError(answer);
  };
  if (response.status < 400) {
    // The upstream protocol may read a failure out of a stream's first event (see ProtocolDefinition.streamStartError).
    const upstreamProtocol = deps.registry.protocol(candidate.protocol)?.definition;
    if (upstreamProtocol?.streamStartError !== undefined && isEventStream(response.headers)) {
      let answer: UpstreamErrorResponse | undefined;
      try {
        answer = await streamStartAnswer(response, upstreamProtocol, signal, log);
      } catch (error) {
        // The body failed (or the idle timeout ran out) before its first event.
        return fail(asUpstreamError(error, 'network'), undefined, translator);
      }
      if (answer) return fail(classify(answer), answer, translator);
    }
    return { kind: 'answered', response, account, stream, ...(translator ? { translator } : {}) };
  }
  const answer: UpstreamErrorResponse = {
    status: response.status,
    headers: response.headers,
    body: await readCapped(errorBody(response)),
  };
  return fail(classify(answer), answer, translator);
}
