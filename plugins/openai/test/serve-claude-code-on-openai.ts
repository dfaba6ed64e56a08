/**
 * For trying Claude Code by hand on an OpenAI account: starts a fake OpenAI-compatible
 * server (chat completions, SSE with a usage chunk) and a gateway with the Claude and
 * OpenAI plugins whose only account is an `openai-api` account in group `openai`, with
 * the group alias `claude-*` -> `gpt-5` and a key bound to the group. Prints the
 * environment for `claude -p`, and one line per upstream request (model, message roles).
 *
 * Run from the repository root:
 *   node --import tsx --conditions=switchyard-src plugins/openai/test/serve-claude-code-on-openai.ts
 */
import { createTestGateway, startFakeUpstream, writeSse } from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { openaiPlugin } from '../src/index.js';

const UPSTREAM_KEY = 'sk-fake-openai-for-claude-code';
const KEY = 'sy-claude-code-on-openai-0123456789';

const upstream = await startFakeUpstream(async (req, res) => {
  const body = req.json<{ model: string; stream?: boolean; messages: { role: string }[]; tools?: unknown[] }>();
  console.log(
    `${req.method} ${req.path} model=${body.model} stream=${body.stream === true} roles=${body.messages.map((m) => m.role).join(',')} tools=${body.tools?.length ?? 0}`,
  );
  const base = { id: 'chatcmpl-cc', object: 'chat.completion.chunk', created: 1_760_000_000, model: body.model };
  const usage = { prompt_tokens: 1200, completion_tokens: 6, total_tokens: 1206, prompt_tokens_details: { cached_tokens: 1000 } };
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hi from gpt-5 (fake).' }, finish_reason: 'stop' }],
        usage,
      }),
    );
    return;
  }
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    data: { ...base, choices: [{ index: 0, delta, finish_reason: finish }] },
  });
  await writeSse(
    res,
    [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hi from ' }),
      chunk({ content: 'gpt-5 (fake).' }),
      chunk({}, 'stop'),
      { data: { ...base, choices: [], usage } },
      { data: '[DONE]' },
    ],
    { intervalMs: 20 },
  );
});
const tg = await createTestGateway({
  plugins: [claudePlugin, openaiPlugin],
  config: { groups: [{ id: 'openai', name: 'OpenAI', modelAliases: { 'claude-*': 'gpt-5' } }], logging: { level: 'warn' } },
  accounts: [
    { type: 'openai-api', name: 'openai', groups: ['openai'], credentials: { apiKey: UPSTREAM_KEY, baseUrl: upstream.url } },
  ],
  keys: [{ name: 'claude-code', plaintext: KEY, limits: { binding: { group: 'openai' } } }],
});
console.log(
  `gateway on ${tg.url}; run:\n  ANTHROPIC_BASE_URL=${tg.url} ANTHROPIC_API_KEY=${KEY} CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 CLAUDE_CODE_DISABLE_NONSTREAMING_FALLBACK=1 claude -p "say hi"`,
);
process.on('SIGINT', () => void Promise.all([tg.close(), upstream.close()]).then(() => process.exit(0)));
process.on('SIGTERM', () => void Promise.all([tg.close(), upstream.close()]).then(() => process.exit(0)));
