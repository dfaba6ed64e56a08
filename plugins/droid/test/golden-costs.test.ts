/**
 * Golden cost fixtures of the Droid plugin. Factory bills in its own tokens; the gateway
 * prices a Droid request at the list price of the model that answered, from the Claude
 * and OpenAI plugins' tables (a model neither knows is recorded unpriced: see
 * droid-sdk.test.ts). Answers as Factory relays them (dated model names),
 * read by the codecs of the protocols the droid routes speak and by the plugin's own tap
 * for chat streams whose usage it asked for. Costs computed by hand in the comments
 * (USD per million tokens = micro-dollars per token).
 */
import { describeGoldenCosts, type GoldenCostCase } from '@switchyard/core/testing';
import type { SseFrame } from '@switchyard/core/testing';
import type { UsageCodec } from '@switchyard/plugin-api';
import claudePlugin from '@switchyard/plugin-claude';
import openaiPlugin from '@switchyard/plugin-openai';
import { chatStreamUsageTap, chatUsageOf } from '../src/chat-usage-request.js';
import { ANTHROPIC_MESSAGES, OPENAI_CHAT, OPENAI_RESPONSES } from '../src/protocol-ids.js';
import { anthropicFrames, chatFrames, responsesFrames } from './fake-factory.js';

const prices = { ...claudePlugin.pricing, ...openaiPlugin.pricing };
const codecOf = (id: string): UsageCodec =>
  [...(claudePlugin.protocols ?? []), ...(openaiPlugin.protocols ?? [])].find((protocol) => protocol.id === id)!.usage;

/** SSE text of frames, with `patch` applied to each frame's data. */
function sse(frames: SseFrame[], patch: (event: string | undefined, data: unknown) => unknown = (_e, data) => data): string {
  return frames
    .map(({ event, data }) => {
      const value = patch(event, data);
      return `${event ? `event: ${event}\n` : ''}data: ${typeof value === 'string' ? value : JSON.stringify(value)}\n\n`;
    })
    .join('');
}

const anthropicCases: GoldenCostCase[] = [
  {
    name: 'unary, Sonnet 4.5 snapshot with a 5-minute cache write and a cache read',
    model: 'claude-sonnet-4-5',
    json: {
      type: 'message',
      model: 'claude-sonnet-4-5-20250929',
      usage: { input_tokens: 1200, cache_creation_input_tokens: 2000, cache_read_input_tokens: 30000, output_tokens: 800 },
    },
    // 1200 x 3 + 2000 x 3.75 + 30000 x 0.3 + 800 x 15 = 3600 + 7500 + 9000 + 12000
    expectedMicros: 32100,
    expectedUsage: { inputTokens: 1200, cacheWrite5mTokens: 2000, cacheReadTokens: 30000, outputTokens: 800 },
  },
  {
    name: 'stream, Opus 4.1 snapshot, output counted from message_delta',
    model: 'claude-opus-4-1',
    stream: sse(anthropicFrames('claude-opus-4-1-20250805'), (event, data) => {
      const frame = data as Record<string, Record<string, unknown>>;
      if (event === 'message_start') {
        return { ...frame, message: { ...frame.message, usage: { input_tokens: 100, output_tokens: 1 } } };
      }
      if (event === 'message_delta') return { ...frame, usage: { output_tokens: 50 } };
      return data;
    }),
    // 100 x 15 + 50 x 75 = 1500 + 3750
    expectedMicros: 5250,
    expectedUsage: { inputTokens: 100, outputTokens: 50, model: 'claude-opus-4-1-20250805' },
  },
];

const responsesCases: GoldenCostCase[] = [
  {
    name: 'unary, GPT-5 snapshot with cached input and reasoning',
    model: 'gpt-5',
    json: {
      object: 'response',
      model: 'gpt-5-2025-08-07',
      usage: {
        input_tokens: 5000,
        input_tokens_details: { cached_tokens: 4096 },
        output_tokens: 600,
        output_tokens_details: { reasoning_tokens: 512 },
      },
    },
    // 904 x 1.25 + 4096 x 0.125 + 600 x 10 = 1130 + 512 + 6000
    expectedMicros: 7642,
    expectedUsage: { inputTokens: 904, cacheReadTokens: 4096, outputTokens: 600, reasoningTokens: 512 },
  },
  {
    name: 'stream, gpt-5-codex, usage in response.completed',
    model: 'gpt-5-codex',
    stream: sse(responsesFrames('gpt-5-codex'), (event, data) => {
      const frame = data as Record<string, Record<string, unknown>>;
      return event === 'response.completed'
        ? { ...frame, response: { ...frame.response, usage: { input_tokens: 2000, output_tokens: 100 } } }
        : data;
    }),
    // 2000 x 1.25 + 100 x 10 = 2500 + 1000
    expectedMicros: 3500,
  },
];

const chatUsage = (usage: Record<string, unknown>) => (_event: string | undefined, data: unknown) =>
  typeof data === 'object' && data !== null && 'usage' in data ? { ...data, usage } : data;

const chatCases: GoldenCostCase[] = [
  {
    name: 'unary, gpt-5-mini listed for a comm account',
    model: 'gpt-5-mini',
    json: { object: 'chat.completion', model: 'gpt-5-mini-2025-08-07', usage: { prompt_tokens: 5000, completion_tokens: 700 } },
    // 5000 x 0.25 + 700 x 2 = 1250 + 1400
    expectedMicros: 2650,
    expectedUsage: { inputTokens: 5000, outputTokens: 700 },
  },
  {
    name: 'stream, gpt-4.1 with cached prompt tokens, usage chunk last',
    model: 'gpt-4.1',
    stream: sse(
      chatFrames({ model: 'gpt-4.1-2025-04-14' }),
      chatUsage({ prompt_tokens: 1000, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 200 } }),
    ),
    // 800 x 2 + 200 x 0.5 + 300 x 8 = 1600 + 100 + 2400
    expectedMicros: 4100,
    expectedUsage: { inputTokens: 800, cacheReadTokens: 200, outputTokens: 300, model: 'gpt-4.1-2025-04-14' },
  },
];

/** The tap the droid adapter reads a chat stream with when it asked upstream for usage on the client's behalf. */
const droidChatTap: UsageCodec = {
  fromJson: (body) =>
    typeof body === 'object' && body !== null
      ? chatUsageOf((body as { usage?: unknown }).usage, (body as { model?: unknown }).model)
      : null,
  createStreamTap: chatStreamUsageTap,
};

describeGoldenCosts('droid anthropic endpoint', { codec: codecOf(ANTHROPIC_MESSAGES), prices, cases: anthropicCases });
describeGoldenCosts('droid openai endpoint', { codec: codecOf(OPENAI_RESPONSES), prices, cases: responsesCases });
describeGoldenCosts('droid comm endpoint', { codec: codecOf(OPENAI_CHAT), prices, cases: chatCases });
describeGoldenCosts('droid comm endpoint, usage asked for by the adapter', { codec: droidChatTap, prices, cases: chatCases });
