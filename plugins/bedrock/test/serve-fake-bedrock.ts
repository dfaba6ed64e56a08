/**
 * Serves the tests' fake Bedrock runtime on 127.0.0.1 for trying clients by hand (e.g.
 * `claude -p` through a local gateway with only a bedrock account). It verifies SigV4
 * signatures made with the fake IAM key (FAKE_IAM in fake-bedrock.ts, region us-east-1)
 * and answers event-stream frames; it prints one line per request (method, path, the
 * body's fields).
 *
 * Run from the repository root:
 *   node --import tsx --conditions=switchyard-src plugins/bedrock/test/serve-fake-bedrock.ts [port]
 */
import { createServer, request } from 'node:http';
import { FAKE_IAM, FAKE_REGION, answerBedrock, startFakeBedrock } from './fake-bedrock.js';

const port = Number(process.argv[2] ?? 4020);
const auth = { kind: 'iam', ...FAKE_IAM, region: FAKE_REGION } as const;
const answer = answerBedrock({ intervalMs: 30 });
const fake = await startFakeBedrock(auth, async (req, res) => {
  let fields: string;
  try {
    fields = Object.keys(req.json<Record<string, unknown>>()).join(',');
  } catch {
    fields = '(not JSON)';
  }
  console.log(`${req.method} ${req.url} body fields: ${fields}; SigV4 signature verified`);
  await answer(req, res);
});
// startFakeBedrock picks a free port; forward the fixed one to it (headers as they came, host included).
const target = new URL(fake.url);
createServer((inbound, outbound) => {
  const upstream = request(
    { host: target.hostname, port: target.port, path: inbound.url, method: inbound.method, headers: inbound.headers },
    (reply) => {
      outbound.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(outbound);
    },
  );
  inbound.pipe(upstream);
}).listen(port, '127.0.0.1', () => console.log(`fake Bedrock runtime on http://127.0.0.1:${port} (region ${FAKE_REGION})`));
