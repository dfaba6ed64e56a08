/**
 * The anthropic-messages protocol on its own: request facts and session keys, errors in
 * Anthropic's shape, and usage read from unary bodies and recorded SSE transcripts.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { createInboundRequest } from '@switchyard/core/testing';
import { GATEWAY_ERROR_STATUS } from '@switchyard/plugin-api';
import { anthropicMessagesProtocol, anthropicUsageCodec, hashCachedSystemBlocks, sessionFromUserId } from '../src/index.js';

/** A client request on the messages route (a string body is the raw text sent). */
const inbound = (body: unknown, headers: Record<string, string> = {}) =>
  createInboundRequest({ mount: '/api', path: '/v1/messages', headers, body });

function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

function tapInPieces(bytes: Buffer, size: number) {
  const tap = anthropicUsageCodec.createStreamTap();
  for (let offset = 0; offset < bytes.length; offset += size) tap.push(bytes.subarray(offset, offset + size));
  return tap.end();
}

const SESSION = '7f9c2ba4-e88f-4d2a-9c3b-1e2d3f4a5b6c';
const cachedSystem = [
  { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.197.123; cc_entrypoint=sdk-cli;' },
  { type: 'text', text: "You are a Claude agent, built on Anthropic's Claude Agent SDK.", cache_control: { type: 'ephemeral' } },
  { type: 'text', text: 'Main prompt', cache_control: { type: 'ephemeral' } },
];

describe('anthropic-messages protocol', () => {
  it('reads model, stream flag and user turn', () => {
    const facts = anthropicMessagesProtocol.describe(
      inbound({ model: 'claude-opus-4-8', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(facts).to.deep.equal({ model: 'claude-opus-4-8', stream: true, userTurn: true });
    const toolResult = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] };
    expect(anthropicMessagesProtocol.describe(inbound({ model: 'm', messages: [toolResult] })).userTurn).to.equal(false);
    expect(anthropicMessagesProtocol.describe(inbound(JSON.stringify('not an object')))).to.deep.equal({ stream: false });
    expect(anthropicMessagesProtocol.describe(inbound(null))).to.deep.equal({ stream: false });
  });

  it('takes the session from metadata.user_id in its JSON-string and legacy forms', () => {
    const json = JSON.stringify({ device_id: 'a'.repeat(64), account_uuid: '', session_id: SESSION });
    expect(sessionFromUserId(json)).to.equal(SESSION);
    expect(sessionFromUserId(`user_${'b'.repeat(64)}_account__session_${SESSION}`)).to.equal(SESSION);
    expect(sessionFromUserId('{not json')).to.equal(undefined);
    expect(sessionFromUserId('plain-user')).to.equal(undefined);
    expect(sessionFromUserId(42)).to.equal(undefined);
  });

  it('prefers metadata.user_id, then the session header, then the cached system blocks', () => {
    const header = { 'x-claude-code-session-id': 'header-session' };
    const body = { model: 'm', system: cachedSystem, messages: [{ role: 'user', content: 'hi' }] };
    const withUserId = { ...body, metadata: { user_id: JSON.stringify({ session_id: SESSION }) } };
    expect(anthropicMessagesProtocol.describe(inbound(withUserId, header)).sessionKey).to.equal(`session:${SESSION}`);
    expect(anthropicMessagesProtocol.describe(inbound(body, header)).sessionKey).to.equal('session:header-session');
    const fromSystem = anthropicMessagesProtocol.describe(inbound(body)).sessionKey;
    expect(fromSystem).to.match(/^system:[0-9a-f]{32}$/);
    // The same conversation one turn later keeps the key; the volatile first block and the messages do not count.
    const later = {
      ...body,
      system: [{ type: 'text', text: 'cc_version=other' }, ...cachedSystem.slice(1)],
      messages: [{ role: 'user', content: 'other' }],
    };
    expect(anthropicMessagesProtocol.describe(inbound(later)).sessionKey).to.equal(fromSystem);
    expect(hashCachedSystemBlocks('a plain string system')).to.equal(undefined);
    expect(anthropicMessagesProtocol.describe(inbound({ model: 'm', messages: [] })).sessionKey).to.equal(undefined);
  });

  it('renders every gateway error code in the Anthropic shape with a sensible type', () => {
    const expected: Record<string, string> = {
      invalid_api_key: 'authentication_error',
      missing_api_key: 'authentication_error',
      permission_denied: 'permission_error',
      model_not_allowed: 'permission_error',
      client_not_allowed: 'permission_error',
      rate_limited: 'rate_limit_error',
      queue_full: 'rate_limit_error',
      cost_limit_reached: 'billing_error',
      not_found: 'not_found_error',
      payload_too_large: 'request_too_large',
      invalid_json: 'invalid_request_error',
      invalid_request: 'invalid_request_error',
      model_not_found: 'not_found_error',
      // overloaded_error is Anthropic's own overload (Claude Code retries it without end); a gateway 503 is not that.
      no_account_available: 'api_error',
      upstream_error: 'api_error',
      upstream_timeout: 'timeout_error',
    };
    for (const [code, status] of Object.entries(GATEWAY_ERROR_STATUS)) {
      const rendered = anthropicMessagesProtocol.renderError({ code, status, message: `about ${code}` });
      expect(rendered.status, code).to.equal(status);
      const body = rendered.body as { type: string; error: { type: string; message: string } };
      expect(body.type).to.equal('error');
      expect(body.error.message).to.equal(`about ${code}`);
      if (expected[code]) expect(body.error.type, code).to.equal(expected[code]);
      else expect(body.error.type, code).to.match(/_error$|^request_too_large$/);
    }
    const limited = anthropicMessagesProtocol.renderError({
      code: 'rate_limited',
      status: 429,
      message: 'slow down',
      retryAfterMs: 1500,
    });
    expect(limited.headers).to.deep.equal({ 'retry-after': '2' });
  });

  it('renders a stream error as an event: error frame', () => {
    expect(anthropicMessagesProtocol.renderStreamError?.({ code: 'upstream_error', status: 502, message: 'cut' })).to.equal(
      'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"cut"}}\n\n',
    );
  });

  it('reads unary usage with the 5m/1h cache split, or counts undivided cache writes as 5m', () => {
    const split = {
      input_tokens: 3,
      output_tokens: 4,
      cache_creation_input_tokens: 30,
      cache_read_input_tokens: 50,
      cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 20 },
    };
    expect(anthropicUsageCodec.fromJson({ model: 'claude-sonnet-4-5', usage: split })).to.deep.include({
      inputTokens: 3,
      outputTokens: 4,
      cacheWrite5mTokens: 10,
      cacheWrite1hTokens: 20,
      cacheReadTokens: 50,
      model: 'claude-sonnet-4-5',
    });
    const undivided = { input_tokens: 3, output_tokens: 4, cache_creation_input_tokens: 30, cache_read_input_tokens: 0 };
    expect(anthropicUsageCodec.fromJson({ usage: undivided })).to.deep.include({ cacheWrite5mTokens: 30, cacheWrite1hTokens: 0 });
    expect(anthropicUsageCodec.fromJson({ input_tokens: 42 }), 'a count_tokens answer is not usage').to.equal(null);
    expect(anthropicUsageCodec.fromJson('nope')).to.equal(null);
  });

  it('reads usage from a recorded Claude Code stream (message_start + message_delta), split at odd places', () => {
    const bytes = fixture('claude-code-stream.sse');
    for (const size of [1, 7, 64, bytes.length]) {
      expect(tapInPieces(bytes, size), `pieces of ${size}`).to.deep.include({
        inputTokens: 12,
        outputTokens: 200,
        cacheWrite5mTokens: 1000,
        cacheWrite1hTokens: 2000,
        cacheReadTokens: 10000,
        model: 'claude-opus-4-8',
      });
    }
  });

  it('reads a CRLF stream whose cache writes are not split as 5m writes', () => {
    expect(tapInPieces(fixture('legacy-cache-crlf-stream.sse'), 5)).to.deep.include({
      inputTokens: 7,
      outputTokens: 9,
      cacheWrite5mTokens: 500,
      cacheWrite1hTokens: 0,
      cacheReadTokens: 40,
      model: 'claude-3-5-haiku-20241022',
    });
  });

  it('returns null for streams without usage and never throws on garbage', () => {
    const tap = anthropicUsageCodec.createStreamTap();
    tap.push(Buffer.from('event: message_start\ndata: {broken\n\n'));
    tap.push(Buffer.from([0xff, 0xfe, 0x00]));
    expect(tap.end()).to.equal(null);
  });
});
