/**
 * Bytes stay bytes (issue 16 part 4): a request body is read once as bytes and parsed
 * from them, and what goes upstream is the client's bytes unless a plugin changes the
 * body. Real fake upstreams on 127.0.0.1 capture the raw request bytes, behind a gateway
 * with the real Claude and OpenAI plugins: bodies that a decode-and-re-encode round trip
 * would change (invalid UTF-8 inside a JSON string, escaped lone surrogates, a raw
 * UTF-8-encoded surrogate, odd whitespace and escapes) reach the upstream byte-identical
 * on the Anthropic route and on the OpenAI chat and responses routes.
 */
import { expect } from 'chai';
import type http from 'node:http';
import {
  createTestGateway,
  sendRequest,
  startFakeUpstream,
  type FakeUpstream,
  type RecordedRequest,
  type TestGateway,
} from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { openaiPlugin } from '../src/index.js';
import { chatCompletion } from './fake-openai-upstream.js';

const ANTHROPIC_KEY = 'sk-ant-bytes-stay-bytes-0123456789';
const OPENAI_KEY = 'sk-openai-bytes-stay-bytes-0123456789';

function anthropicAnswer(_req: RecordedRequest, res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      stop_reason: 'end_turn',
      stop_sequence: null,
      content: [{ type: 'text', text: 'ok' }],
      usage: { input_tokens: 3, output_tokens: 2 },
    }),
  );
}

function openAiAnswer(_req: RecordedRequest, res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(chatCompletion('ok', 'gpt-4.1-mini')));
}

/** A JSON body whose one string holds `inner` (raw bytes, spliced in as they are), after `lead`. */
function bodyWith(prefix: string, inner: Uint8Array, suffix: string, lead: Uint8Array = Buffer.alloc(0)): Buffer {
  return Buffer.concat([lead, Buffer.from(prefix, 'utf8'), inner, Buffer.from(suffix, 'utf8')]);
}

const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);

/** Bodies that do not survive a decode and re-encode (`JSON.stringify(JSON.parse(bytes.toString()))`, or a stripped BOM) unchanged. */
const CASES: ReadonlyArray<readonly [string, Buffer, Buffer?]> = [
  ['invalid UTF-8 inside a JSON string', Buffer.from([0x61, 0xff, 0xfe, 0x62, 0xc3, 0x28, 0x80, 0x63])],
  ['escaped lone surrogates', Buffer.from('\\ud800 then \\udfff and a pair \\ud83d\\ude00', 'latin1')],
  ['a UTF-8-encoded lone surrogate (CESU bytes)', Buffer.from([0x78, 0xed, 0xa0, 0x80, 0x79])],
  ['escapes a serialiser would rewrite', Buffer.from('\\u0041\\/\\u00e9 \\t', 'latin1')],
  ['a leading byte order mark', Buffer.from('hi', 'utf8'), BYTE_ORDER_MARK],
];

/** Each route, the fake upstream it reaches, and the body prefix/suffix around the odd string. */
const ROUTES = [
  {
    route: '/api/v1/messages',
    upstream: 'anthropic',
    prefix: '{"model":"claude-sonnet-4-6",  "max_tokens":16,"messages":[{"role":"user","content":"',
    suffix: '"}]}',
  },
  {
    route: '/openai/v1/chat/completions',
    upstream: 'openai',
    prefix: '{ "model":"gpt-4.1-mini","messages":[{"role":"user","content":"',
    suffix: '"}] }',
  },
  {
    route: '/openai/v1/responses',
    upstream: 'openai',
    prefix: '{"model":"gpt-4.1-mini","input":"',
    suffix: '"}\n',
  },
] as const;

describe("the client's request bytes reach the upstream unchanged", () => {
  let anthropic: FakeUpstream;
  let openai: FakeUpstream;
  let tg: TestGateway;

  before(async () => {
    anthropic = await startFakeUpstream(anthropicAnswer);
    openai = await startFakeUpstream(openAiAnswer);
    tg = await createTestGateway({
      plugins: [claudePlugin, openaiPlugin],
      accounts: [
        { type: 'claude-console', name: 'claude', credentials: { apiKey: ANTHROPIC_KEY, baseUrl: anthropic.url } },
        { type: 'openai-api', name: 'openai', credentials: { apiKey: OPENAI_KEY, baseUrl: openai.url } },
      ],
    });
  });
  after(async () => {
    await tg.close();
    await anthropic.close();
    await openai.close();
  });

  for (const { route, upstream, prefix, suffix } of ROUTES) {
    for (const [name, inner, lead] of CASES) {
      it(`${route}: ${name}`, async () => {
        const fake = upstream === 'anthropic' ? anthropic : openai;
        const before = fake.requests.length;
        const body = bodyWith(prefix, inner, suffix, lead);
        const res = await sendRequest(`${tg.url}${route}`, {
          headers: { authorization: `Bearer ${tg.key}`, 'content-type': 'application/json' },
          body,
        });
        expect(res.status, res.text()).to.equal(200);
        expect(fake.requests.length, 'one upstream call').to.equal(before + 1);
        const seen = fake.requests.at(-1)!;
        expect(seen.body.toString('hex'), 'the upstream got the bytes the client sent').to.equal(body.toString('hex'));
      });
    }
  }
});
