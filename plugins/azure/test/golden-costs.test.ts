/**
 * Golden cost fixtures of the Azure plugin: answers as Azure OpenAI sends them (dated
 * model names in `model`, the prompt-filter chunk with `model: ""` first in a chat
 * stream, Responses events, embeddings), read by the adapter's usage readers and priced
 * by the OpenAI plugin's table plus this plugin's embedding prices. Expected costs are
 * computed by hand in the comments (USD per million tokens = micro-dollars per token).
 */
import { describeGoldenCosts, type GoldenCostCase } from '@switchyard/core/testing';
import type { UsageCodec } from '@switchyard/plugin-api';
import openaiPlugin from '@switchyard/plugin-openai';
import azurePlugin from '../src/index.js';
import { unaryUsage } from '../src/azure-usage.js';
import { streamUsageTap } from '../src/azure-usage-tap.js';
import { OPENAI_CHAT, OPENAI_EMBEDDINGS, OPENAI_RESPONSES } from '../src/protocol-ids.js';
import { azureChatFrames, azureResponsesFrames } from './fake-azure-openai.js';

const prices = { ...openaiPlugin.pricing, ...azurePlugin.pricing };

const codec = (protocol: string): UsageCodec => ({
  fromJson: (body) => unaryUsage(protocol, body),
  createStreamTap: () => streamUsageTap(protocol),
});

/** SSE text of frames whose data is JSON (or `[DONE]`), with the usage given swapped in. */
function sse(frames: ReturnType<typeof azureChatFrames>, usage?: Record<string, unknown>): string {
  return frames
    .map(({ event, data }) => {
      const value =
        usage && typeof data === 'object' && data !== null && 'usage' in data && (data as { usage: unknown }).usage
          ? { ...data, usage }
          : data;
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return `${event ? `event: ${event}\n` : ''}data: ${text}\n\n`;
    })
    .join('');
}

function responsesStream(model: string, usage: Record<string, unknown>): string {
  return azureResponsesFrames(model)
    .map(({ event, data }) => {
      const record = data as { response?: Record<string, unknown> };
      const value = event === 'response.completed' ? { ...record, response: { ...record.response, usage } } : data;
      return `event: ${event}\ndata: ${JSON.stringify(value)}\n\n`;
    })
    .join('');
}

const chatCases: GoldenCostCase[] = [
  {
    name: 'chat unary, gpt-4o snapshot with cached prompt tokens',
    model: 'gpt-4o',
    json: {
      object: 'chat.completion',
      model: 'gpt-4o-2024-11-20',
      prompt_filter_results: [],
      choices: [],
      usage: { prompt_tokens: 2000, completion_tokens: 300, total_tokens: 2300, prompt_tokens_details: { cached_tokens: 1536 } },
    },
    // 464 x 2.5 + 1536 x 1.25 + 300 x 10 = 1160 + 1920 + 3000
    expectedMicros: 6080,
    expectedUsage: { inputTokens: 464, cacheReadTokens: 1536, outputTokens: 300 },
  },
  {
    name: 'chat stream: prompt-filter chunk (model "") first, usage in the last chunk',
    model: 'gpt-4o-mini',
    stream: sse(azureChatFrames({ model: 'gpt-4o-mini-2024-07-18' }), {
      prompt_tokens: 1000,
      completion_tokens: 500,
      total_tokens: 1500,
    }),
    // 1000 x 0.15 + 500 x 0.6 = 150 + 300
    expectedMicros: 450,
    expectedUsage: { inputTokens: 1000, outputTokens: 500, model: 'gpt-4o-mini-2024-07-18' },
  },
  {
    name: 'chat unary, gpt-5 with reasoning tokens inside the completion count',
    model: 'gpt-5',
    json: {
      model: 'gpt-5-2025-08-07',
      usage: { prompt_tokens: 100, completion_tokens: 50, completion_tokens_details: { reasoning_tokens: 40 } },
    },
    // 100 x 1.25 + 50 x 10 = 125 + 500
    expectedMicros: 625,
    expectedUsage: { outputTokens: 50, reasoningTokens: 40 },
  },
];

const responsesCases: GoldenCostCase[] = [
  {
    name: 'responses unary, o4-mini with cached input and reasoning',
    model: 'o4-mini',
    json: {
      object: 'response',
      model: 'o4-mini-2025-04-16',
      usage: {
        input_tokens: 3000,
        input_tokens_details: { cached_tokens: 1000 },
        output_tokens: 800,
        output_tokens_details: { reasoning_tokens: 600 },
      },
    },
    // 2000 x 1.1 + 1000 x 0.275 + 800 x 4.4 = 2200 + 275 + 3520
    expectedMicros: 5995,
    expectedUsage: { inputTokens: 2000, cacheReadTokens: 1000, outputTokens: 800, reasoningTokens: 600 },
  },
  {
    name: 'responses stream, gpt-4.1 snapshot, usage in response.completed',
    model: 'gpt-4.1',
    stream: responsesStream('gpt-4.1-2025-04-14', { input_tokens: 10000, output_tokens: 1000 }),
    // 10000 x 2 + 1000 x 8 = 20000 + 8000
    expectedMicros: 28000,
  },
];

const embeddingsCases: GoldenCostCase[] = [
  {
    name: 'embeddings, text-embedding-3-large',
    model: 'text-embedding-3-large',
    json: { object: 'list', data: [], model: 'text-embedding-3-large', usage: { prompt_tokens: 5000, total_tokens: 5000 } },
    // 5000 x 0.13
    expectedMicros: 650,
    expectedUsage: { inputTokens: 5000, outputTokens: 0 },
  },
  {
    name: 'embeddings, text-embedding-ada-002 (rounded to the micro-dollar)',
    model: 'text-embedding-ada-002',
    json: { object: 'list', data: [], model: 'text-embedding-ada-002', usage: { prompt_tokens: 1234, total_tokens: 1234 } },
    // 1234 x 0.1 = 123.4
    expectedMicros: 123,
  },
];

describeGoldenCosts('azure-openai chat completions', { codec: codec(OPENAI_CHAT), prices, cases: chatCases });
describeGoldenCosts('azure-openai responses', { codec: codec(OPENAI_RESPONSES), prices, cases: responsesCases });
describeGoldenCosts('azure-openai embeddings', { codec: codec(OPENAI_EMBEDDINGS), prices, cases: embeddingsCases });
