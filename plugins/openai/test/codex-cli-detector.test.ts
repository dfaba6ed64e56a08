import { expect } from 'chai';
import { createTestGateway, sendRequest, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import openaiPlugin from '../src/index.js';
import { startFakeOpenAi } from './fake-openai-upstream.js';

const API_KEY = 'sk-upstream-key-0123456789';

describe('codex-cli client detector', () => {
  let fake: FakeUpstream;
  let tg: TestGateway;

  before(async () => {
    fake = await startFakeOpenAi({ apiKey: API_KEY });
    tg = await createTestGateway({
      plugins: [openaiPlugin],
      keys: [{ name: 'cli-only', limits: { clients: ['codex-cli'] } }],
      accounts: [{ type: 'openai-api', name: 'oa', credentials: { apiKey: API_KEY, baseUrl: `${fake.url}/v1` } }],
    });
  });
  after(async () => {
    await tg.close();
    await fake.close();
  });

  const send = (userAgent: string) =>
    sendRequest(`${tg.url}/openai/v1/responses`, {
      headers: { authorization: `Bearer ${tg.key}`, 'user-agent': userAgent },
      body: { model: 'gpt-5', input: 'hi' },
    });

  it('lets Codex CLI through on a key restricted to it', async () => {
    expect((await send('codex_exec/0.171.0 (Debian 12.0.0; x86_64) dumb (codex_exec; 0.171.0)')).status).to.equal(200);
    expect((await send('codex_cli_rs/0.50.0 (Mac OS 15.0; arm64)')).status).to.equal(200);
  });

  it('refuses other clients with 403 in the OpenAI error shape', async () => {
    const refused = await send('OpenAI/JS 6.49.0');
    expect(refused.status).to.equal(403);
    expect(refused.json<{ error: { message: string } }>().error.message).to.be.a('string');
  });
});
