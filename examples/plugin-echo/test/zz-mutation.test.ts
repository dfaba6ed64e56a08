import { describeProviderConformance } from '@switchyard/core/testing';
import { UpstreamError, definePlugin, type AccountTypeDefinition } from '@switchyard/core/plugin-api';
import { Readable } from 'node:stream';
import echoPlugin, { echoKeyAccountType, type EchoCredentials } from '../src/index.js';
import { ECHO_USAGE, startFakeEchoUpstream, writeEchoError, writeEchoStream, writeEchoUnary } from './fake-echo-upstream.js';

const SECRET = 'echo-secret-3f9a1c7e5b2d4a60';
const mode = process.env.MUTATION ?? 'buffer';
const base = echoKeyAccountType;
const mutated: AccountTypeDefinition<EchoCredentials> = {
  ...base,
  adapter: {
    async send(call) {
      if (mode === 'leak') call.log.info('sending', { note: `using ${call.credentials.apiKey}` });
      const res = await base.adapter.send(mode === 'reserialize' ? { ...call, request: { ...call.request, rawBody: new TextEncoder().encode(JSON.stringify(call.request.body)) } } : call);
      if (mode === 'buffer') {
        const chunks: Uint8Array[] = [];
        for await (const c of res.body as AsyncIterable<Uint8Array>) chunks.push(c);
        return { ...res, body: Readable.from([Buffer.concat(chunks)]) };
      }
      return res;
    },
  },
  ...(mode === 'classify' ? { classifyError: (r: { status: number }) => (r.status === 529 ? new UpstreamError('auth_failed', 'x') : undefined) } : {}),
};
const plugin = definePlugin({ ...echoPlugin, accountTypes: [mutated] });
describeProviderConformance({
  name: `mutation-${mode}`, plugin, accountType: 'echo-key', routePath: '/echo/v1/echo',
  startUpstream: () => startFakeEchoUpstream(),
  credentials: (u) => ({ apiKey: SECRET, baseUrl: u }),
  requests: { unary: { model: 'echo-1', input: 'hello there' }, stream: { model: 'echo-1', input: 'hello there', stream: true } },
  upstream: { unary: (res) => writeEchoUnary(res), stream: (res) => writeEchoStream(res), error: (res, s) => writeEchoError(res, s) },
  expectedUsage: { inputTokens: ECHO_USAGE.input_tokens, outputTokens: ECHO_USAGE.output_tokens },
  secret: SECRET,
  
});
