/**
 * Serves, for trying clients by hand (e.g. `claude -p`), the stack the tests use: the
 * fake OpenAI-compatible provider, the real Claude Code Router in front of it (provider
 * `fakeoai`, models `claude-sonnet-4-5` and `claude-haiku-4-5`), and a gateway (Claude
 * and CCR plugins, in-memory store) whose only account is a `ccr` account on that
 * router. It prints the gateway's URL and key and one line per request the provider gets.
 * Ctrl-C stops everything it started.
 *
 * Run from the repository root:
 *   node --import tsx --conditions=switchyard-src plugins/ccr/test/serve-ccr-stack.ts
 */
import { createTestGateway } from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { ccrPlugin } from '../src/index.js';
import { startFakeOpenAiProvider } from './fake-openai-provider.js';
import { startRealRouter } from './real-router.js';

const provider = await startFakeOpenAiProvider('sk-fake-provider-by-hand');
const router = await startRealRouter({
  apiKey: 'ccr-router-key-by-hand',
  provider: 'fakeoai',
  providerUrl: `${provider.url}/v1/chat/completions`,
  providerKey: 'sk-fake-provider-by-hand',
  models: ['claude-sonnet-4-5', 'claude-haiku-4-5'],
});
const tg = await createTestGateway({
  plugins: [claudePlugin, ccrPlugin],
  accounts: [{ type: 'ccr', name: 'router', credentials: { apiKey: 'ccr-router-key-by-hand', baseUrl: router.url } }],
});
let seen = 0;
setInterval(() => {
  for (const req of provider.requests.slice(seen)) {
    const body = req.json<{ model?: string; stream?: boolean; tools?: unknown[] }>();
    console.log(`provider: ${req.method} ${req.path} model=${body.model} stream=${body.stream} tools=${body.tools?.length ?? 0}`);
  }
  seen = provider.requests.length;
}, 200).unref();
console.log(`router ${router.url}`);
console.log(`ANTHROPIC_BASE_URL=${tg.url}/api ANTHROPIC_API_KEY=${tg.key} ANTHROPIC_MODEL=ccr,fakeoai,claude-sonnet-4-5`);
process.once('SIGINT', () => {
  void (async () => {
    await tg.close();
    await router.stop();
    await provider.close();
    process.exit(0);
  })();
});
