/**
 * The bedrock account type runs the provider conformance suite, with SigV4 (the fake
 * recomputes each signature) and with a Bedrock API key. Bedrock streams binary
 * event-stream frames that the adapter re-emits as Anthropic SSE, so the stream tests
 * compare what the client got with the SSE those frames stand for (decoded here on
 * their own, without the plugin's decoder).
 */
import type http from 'node:http';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { describeProviderConformance, type StreamTranscoding } from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { bedrockPlugin } from '../src/index.js';
import {
  BEDROCK_USAGE,
  FAKE_API_KEY,
  FAKE_IAM,
  FAKE_REGION,
  startFakeBedrock,
  writeBedrockError,
  writeBedrockStream,
  writeBedrockUnary,
} from './fake-bedrock.js';

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

/** The Anthropic SSE the complete `chunk` frames of `bytes` stand for. */
function sseOfFrames(bytes: Buffer): Buffer {
  let out = '';
  for (let offset = 0; offset + 4 <= bytes.length;) {
    const length = bytes.readUInt32BE(offset);
    if (offset + length > bytes.length) break;
    const message = codec.decode(bytes.subarray(offset, offset + length));
    offset += length;
    const { bytes: encoded } = JSON.parse(Buffer.from(message.body).toString('utf8')) as { bytes: string };
    const json = Buffer.from(encoded, 'base64').toString('utf8');
    out += `event: ${(JSON.parse(json) as { type: string }).type}\ndata: ${json}\n\n`;
  }
  return Buffer.from(out, 'utf8');
}

const streamTranscoding: StreamTranscoding = { contentType: 'text/event-stream; charset=utf-8', clientBytes: sseOfFrames };

/** Bedrock's exception for each status the suite asks for. */
const EXCEPTIONS: Readonly<Record<number, string>> = {
  429: 'ThrottlingException',
  403: 'UnrecognizedClientException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

const requests = {
  unary: { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] },
  stream: { model: 'claude-sonnet-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] },
};
const upstream = {
  unary: (res: http.ServerResponse) => writeBedrockUnary(res),
  stream: (res: http.ServerResponse) => writeBedrockStream(res, { intervalMs: 30 }),
  error: (res: http.ServerResponse, status: number) =>
    writeBedrockError(res, status, EXCEPTIONS[status] ?? 'InternalServerException', `fake Bedrock error ${status}`),
};
const errorCases = [
  { status: 429, kind: 'rate_limited', headers: { 'retry-after': '7' } },
  { status: 403, kind: 'auth_failed' },
  { status: 500, kind: 'upstream_5xx' },
  { status: 503, kind: 'overloaded' },
] as const;
const expectedUsage = { inputTokens: BEDROCK_USAGE.input_tokens, outputTokens: BEDROCK_USAGE.output_tokens };

describeProviderConformance({
  name: 'bedrock with SigV4',
  plugin: bedrockPlugin,
  plugins: [claudePlugin],
  accountType: 'bedrock',
  routePath: '/api/v1/messages',
  startUpstream: () => startFakeBedrock({ kind: 'iam', ...FAKE_IAM, region: FAKE_REGION }),
  credentials: (upstreamUrl) => ({ region: FAKE_REGION, ...FAKE_IAM, baseUrl: upstreamUrl }),
  clientHeaders: (key) => ({ 'x-api-key': key, 'anthropic-version': '2023-06-01' }),
  requests,
  upstream,
  errorCases,
  expectedUsage,
  streamTranscoding,
  forwardsBodyVerbatim: false,
  probe: { ok: true },
  secret: FAKE_IAM.secretAccessKey,
});

describeProviderConformance({
  name: 'bedrock with a Bedrock API key',
  plugin: bedrockPlugin,
  plugins: [claudePlugin],
  accountType: 'bedrock',
  routePath: '/v1/messages',
  startUpstream: () => startFakeBedrock({ kind: 'apiKey', apiKey: FAKE_API_KEY }),
  credentials: (upstreamUrl) => ({ region: FAKE_REGION, apiKey: FAKE_API_KEY, baseUrl: upstreamUrl }),
  settings: { inferenceProfile: 'global' },
  clientHeaders: (key) => ({ authorization: `Bearer ${key}`, 'anthropic-version': '2023-06-01' }),
  requests,
  upstream,
  errorCases,
  expectedUsage,
  streamTranscoding,
  forwardsBodyVerbatim: false,
  probe: { ok: true },
  secret: FAKE_API_KEY,
});
