/**
 * A fake Bedrock runtime for the tests: a real HTTP server on 127.0.0.1 that checks each
 * request's credential the way Bedrock does (a SigV4 signature recomputed with the known
 * secret, or the Bedrock API key as a bearer token) and the InvokeModel body's shape,
 * then answers with Anthropic JSON (`/invoke`) or real `application/vnd.amazon.eventstream`
 * frames (`/invoke-with-response-stream`), encoded with `@smithy/eventstream-codec`.
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { Sha256 } from '@aws-crypto/sha256-js';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { SignatureV4 } from '@smithy/signature-v4';
import { startFakeUpstream, type FakeUpstream, type FakeUpstreamHandler, type RecordedRequest } from '@switchyard/core/testing';

/** The IAM credentials the fake accepts. */
export const FAKE_IAM = {
  accessKeyId: 'AKIAFAKEBEDROCK00001',
  secretAccessKey: 'fake-bedrock-secret-access-key-3f9a1c77e2',
} as const;
/** The Bedrock API key the fake accepts. */
export const FAKE_API_KEY = 'ABSKfake-bedrock-api-key-0c4e2a9d51';
export const FAKE_REGION = 'us-east-1';

/** Usage every canned answer reports unless told otherwise. */
export const BEDROCK_USAGE = { input_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 14 };

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

/** The credential a fake accepts (and the session token it requires, if any). */
export type FakeAuth =
  | { kind: 'iam'; accessKeyId: string; secretAccessKey: string; sessionToken?: string; region: string }
  | { kind: 'apiKey'; apiKey: string };

function header(req: RecordedRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Recomputes the request's SigV4 signature with the known secret; a reason when it does not match. */
export async function signatureProblem(
  req: RecordedRequest,
  auth: Extract<FakeAuth, { kind: 'iam' }>,
): Promise<string | undefined> {
  const authorization = header(req, 'authorization') ?? '';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) return 'no SigV4 authorization header';
  const [, keyId, , region, service, signedHeaders, signature] = match;
  if (keyId !== auth.accessKeyId) return 'unknown access key';
  if (region !== auth.region) return `signed for region ${region}`;
  if (service !== 'bedrock') return `signed for service ${service}`;
  if (auth.sessionToken !== undefined && header(req, 'x-amz-security-token') !== auth.sessionToken) return 'no session token';
  const amzDate = header(req, 'x-amz-date') ?? '';
  const date = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (Number.isNaN(date.getTime())) return 'no x-amz-date';
  // A signed payload hash must be the body's (the signature below is recomputed over the header's value).
  const contentSha256 = header(req, 'x-amz-content-sha256');
  if (contentSha256 !== undefined && contentSha256 !== createHash('sha256').update(req.body).digest('hex')) {
    return 'x-amz-content-sha256 is not the hash of the body';
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders!.split(';')) headers[name] = header(req, name) ?? '';
  const signer = new SignatureV4({
    service: 'bedrock',
    region: auth.region,
    sha256: Sha256,
    credentials: {
      accessKeyId: auth.accessKeyId,
      secretAccessKey: auth.secretAccessKey,
      ...(auth.sessionToken === undefined ? {} : { sessionToken: auth.sessionToken }),
    },
  });
  const [host, port] = (headers.host ?? '').split(':');
  const query = Object.fromEntries(req.query.entries());
  const resigned = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname: host ?? '',
      ...(port ? { port: Number(port) } : {}),
      // The path exactly as received (still percent-encoded), as AWS reads it.
      path: req.url.split('?')[0]!,
      query,
      headers,
      body: req.body,
    },
    { signingDate: date },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(resigned.headers.authorization ?? '')?.[1];
  return expected === signature ? undefined : 'signature mismatch';
}

/** Writes a Bedrock error answer: status, `x-amzn-errortype` and `{"message"}`. */
export function writeBedrockError(res: http.ServerResponse, status: number, exception: string, message: string): void {
  res
    .writeHead(status, {
      'content-type': 'application/json',
      'x-amzn-errortype': `${exception}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      'x-amzn-requestid': 'fake-request-id',
    })
    .end(JSON.stringify({ message }));
}

/** The credential problem of a request, or undefined when the fake accepts it. */
export async function authProblem(req: RecordedRequest, auth: FakeAuth): Promise<string | undefined> {
  if (auth.kind === 'apiKey') return header(req, 'authorization') === `Bearer ${auth.apiKey}` ? undefined : 'wrong API key';
  return signatureProblem(req, auth);
}

/** Problems of an InvokeModel body (Anthropic on Bedrock), or undefined. */
export function bodyProblem(req: RecordedRequest): string | undefined {
  let body: Record<string, unknown>;
  try {
    body = req.json<Record<string, unknown>>();
  } catch {
    return 'body is not JSON';
  }
  // The gateway sends `bedrock-2023-05-31`; @anthropic-ai/bedrock-sdk 1.2 sends its anthropic-version header's value.
  if (typeof body.anthropic_version !== 'string' || body.anthropic_version === '') return 'anthropic_version missing';
  if ('model' in body || 'stream' in body) return 'model/stream must not be in the body';
  if (!Array.isArray(body.messages)) return 'messages missing';
  return undefined;
}

/**
 * Starts a fake Bedrock. Every request's credential is checked first (403 with
 * Bedrock's exception otherwise); then the handler answers. `setHandler` replaces the
 * handler, never the credential check.
 */
export async function startFakeBedrock(auth: FakeAuth, handler: FakeUpstreamHandler = answerBedrock()): Promise<FakeUpstream> {
  let inner = handler;
  const fake = await startFakeUpstream(async (req, res) => {
    const problem = await authProblem(req, auth);
    if (problem !== undefined) {
      const exception = problem === 'signature mismatch' ? 'InvalidSignatureException' : 'UnrecognizedClientException';
      writeBedrockError(res, 403, exception, `The security token included in the request is invalid (${problem}).`);
      return;
    }
    await inner(req, res);
  });
  fake.setHandler = (next) => {
    inner = next;
  };
  return fake;
}

/** Options of the canned answers. */
export interface BedrockAnswer {
  model?: string;
  text?: string;
  usage?: Record<string, unknown>;
  /** Pause between stream frames (default 30 ms). */
  intervalMs?: number;
  /**
   * Bedrock's own counts (`amazon-bedrock-invocationMetrics` on message_stop, the
   * `x-amzn-bedrock-*-token-count` headers of a unary answer) when they are to differ from
   * `usage`; by default they agree with it, as they do on Bedrock.
   */
  metrics?: Partial<InvocationCounts>;
}

/** Bedrock's token counts of an invocation. */
export interface InvocationCounts {
  inputTokenCount: number;
  outputTokenCount: number;
  cacheReadInputTokenCount: number;
  cacheWriteInputTokenCount: number;
}

/** The invocation counts Bedrock reports for an answer: those of its usage, unless `metrics` says otherwise. */
export function invocationCounts(answer: BedrockAnswer = {}): InvocationCounts {
  const usage = (answer.usage ?? BEDROCK_USAGE) as Record<string, number | undefined>;
  return {
    inputTokenCount: usage.input_tokens ?? 0,
    outputTokenCount: usage.output_tokens ?? 0,
    cacheReadInputTokenCount: usage.cache_read_input_tokens ?? 0,
    cacheWriteInputTokenCount: usage.cache_creation_input_tokens ?? 0,
    ...answer.metrics,
  };
}

/** The Anthropic events of a streamed answer, Bedrock's way (the invocation metrics on message_stop). */
export function anthropicEvents(answer: BedrockAnswer = {}): Record<string, unknown>[] {
  const usage = answer.usage ?? BEDROCK_USAGE;
  const { output_tokens: outputTokens, ...startUsage } = usage as { output_tokens: number };
  const words = (answer.text ?? 'Hello from the fake Bedrock runtime.').split(/(?<= )/);
  return [
    {
      type: 'message_start',
      message: {
        id: 'msg_bdrk_fake01',
        type: 'message',
        role: 'assistant',
        model: answer.model ?? 'claude-sonnet-4-5-20250929',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...startUsage, output_tokens: 1 },
      },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ...words.map((word) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: word } })),
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: outputTokens } },
    {
      type: 'message_stop',
      'amazon-bedrock-invocationMetrics': { ...invocationCounts(answer), invocationLatency: 321, firstByteLatency: 123 },
    },
  ];
}

/** One `chunk` event frame carrying an Anthropic event, as Bedrock encodes it. */
export function chunkFrame(event: unknown): Uint8Array {
  const bytes = Buffer.from(JSON.stringify(event), 'utf8').toString('base64');
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: 'chunk' },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: Buffer.from(JSON.stringify({ bytes, p: 'abcdefgh' }), 'utf8'),
  });
}

/** An exception frame (`throttlingException`, `modelStreamErrorException`, ...). */
export function exceptionFrame(exception: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: exception },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: Buffer.from(JSON.stringify({ message }), 'utf8'),
  });
}

/** The SSE text the gateway must emit for `events` (one `event:`/`data:` pair each). */
export function expectedSse(events: readonly unknown[]): string {
  return events.map((event) => `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`).join('');
}

/** Writes an event-stream answer, one write per frame, `intervalMs` apart; stops when the client left. */
export async function writeEventStream(res: http.ServerResponse, frames: readonly Uint8Array[], intervalMs = 30): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'fake-request-id' });
  for (const [index, frame] of frames.entries()) {
    if (res.destroyed) return;
    if (index > 0 && intervalMs > 0) await delay(intervalMs);
    res.write(frame);
  }
  res.end();
}

/** Writes a unary InvokeModel answer (Anthropic's Messages JSON). */
export function writeBedrockUnary(res: http.ServerResponse, answer: BedrockAnswer = {}): void {
  const counts = invocationCounts(answer);
  res
    .writeHead(200, {
      'content-type': 'application/json',
      'x-amzn-requestid': 'fake-request-id',
      'x-amzn-bedrock-input-token-count': String(counts.inputTokenCount),
      'x-amzn-bedrock-output-token-count': String(counts.outputTokenCount),
      'x-amzn-bedrock-cache-read-input-token-count': String(counts.cacheReadInputTokenCount),
      'x-amzn-bedrock-cache-write-input-token-count': String(counts.cacheWriteInputTokenCount),
    })
    .end(
      JSON.stringify({
        id: 'msg_bdrk_fake01',
        type: 'message',
        role: 'assistant',
        model: answer.model ?? 'claude-sonnet-4-5-20250929',
        content: [{ type: 'text', text: answer.text ?? 'Hello from the fake Bedrock runtime.' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: answer.usage ?? BEDROCK_USAGE,
      }),
    );
}

/** Writes a streamed InvokeModel answer: one `chunk` frame per Anthropic event, `intervalMs` apart (default 30). */
export function writeBedrockStream(res: http.ServerResponse, answer: BedrockAnswer = {}): Promise<void> {
  return writeEventStream(res, anthropicEvents(answer).map(chunkFrame), answer.intervalMs ?? 30);
}

/** Input tokens the fake's CountTokens reports. */
export const FAKE_COUNT = 42;

/** CountTokens: the base64 InvokeModel body checked; inference-profile ids refused as Bedrock does. */
function answerCountTokens(req: RecordedRequest, res: http.ServerResponse, modelId: string): void {
  if (/^[a-z]+\.anthropic\./.test(decodeURIComponent(modelId))) {
    writeBedrockError(res, 400, 'ValidationException', "The provided model doesn't support counting tokens.");
    return;
  }
  const encoded = req.json<{ input?: { invokeModel?: { body?: unknown } } }>().input?.invokeModel?.body;
  if (typeof encoded !== 'string') {
    writeBedrockError(res, 400, 'ValidationException', 'input.invokeModel.body is required');
    return;
  }
  const body = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Record<string, unknown>;
  if (typeof body.anthropic_version !== 'string' || !Array.isArray(body.messages) || 'model' in body) {
    writeBedrockError(res, 400, 'ValidationException', 'Malformed input request');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ inputTokens: FAKE_COUNT }));
}

/** The default handler: checks path and body, then answers unary JSON or an event stream (or CountTokens). */
export function answerBedrock(answer: BedrockAnswer = {}): FakeUpstreamHandler {
  return async (req, res) => {
    const count = /^\/model\/([^/]+)\/count-tokens$/.exec(req.path);
    if (req.method === 'POST' && count) {
      answerCountTokens(req, res, count[1]!);
      return;
    }
    const route = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream)$/.exec(req.path);
    if (req.method !== 'POST' || !route) {
      writeBedrockError(res, 404, 'UnknownOperationException', `no route ${req.method} ${req.path}`);
      return;
    }
    const problem = bodyProblem(req);
    if (problem !== undefined) {
      writeBedrockError(res, 400, 'ValidationException', `Malformed input request: ${problem}`);
      return;
    }
    if (route[2] === 'invoke') writeBedrockUnary(res, answer);
    else await writeBedrockStream(res, answer);
  };
}
