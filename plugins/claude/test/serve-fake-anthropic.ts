/**
 * Serves the tests' fake Anthropic API on 127.0.0.1 for trying clients by hand (e.g.
 * `claude -p` through a local gateway). It accepts any credential, streams answers with
 * `event:` lines, and prints one line per request (method, path, a few headers).
 *
 * Run from the repository root:
 *   node --import tsx --conditions=switchyard-src plugins/claude/test/serve-fake-anthropic.ts [port]
 */
import { startFakeUpstream } from '@switchyard/core/testing';
import { anthropicHandler } from './fake-anthropic-upstream.js';

const port = Number(process.argv[2] ?? 4010);
const handler = anthropicHandler({ intervalMs: 30 });
const fake = await startFakeUpstream(async (req, res) => {
  const pick = ['user-agent', 'anthropic-version', 'anthropic-beta', 'x-claude-code-session-id', 'x-api-key', 'authorization'];
  const shown = Object.fromEntries(
    pick
      .filter((name) => req.headers[name] !== undefined)
      .map((name) => [name, name === 'x-api-key' || name === 'authorization' ? '(set)' : req.headers[name]]),
  );
  console.log(`${req.method} ${req.url} ${JSON.stringify(shown)}`);
  await handler(req, res);
});
// startFakeUpstream picks a free port; forward the fixed one to it.
const { createServer, request } = await import('node:http');
const target = new URL(fake.url);
createServer((inbound, outbound) => {
  const upstream = request(
    { host: target.hostname, port: target.port, path: inbound.url, method: inbound.method, headers: inbound.headers },
    (answer) => {
      outbound.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outbound);
    },
  );
  inbound.pipe(upstream);
}).listen(port, '127.0.0.1', () => console.log(`fake Anthropic API on http://127.0.0.1:${port}`));
