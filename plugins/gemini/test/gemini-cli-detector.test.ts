import { expect } from 'chai';
import { createTestGateway, sendRequest, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import geminiPlugin from '../src/index.js';
import { startFakeGemini } from './fake-gemini-upstream.js';

const API_KEY = 'AIza-upstream-0123456789';

describe('gemini-cli client detector', () => {
  let fake: FakeUpstream;
  let tg: TestGateway;

  before(async () => {
    fake = await startFakeGemini({ apiKey: API_KEY });
    tg = await createTestGateway({
      plugins: [geminiPlugin],
      keys: [{ name: 'cli-only', limits: { clients: ['gemini-cli'] } }],
      accounts: [{ type: 'gemini-api', name: 'g', credentials: { apiKey: API_KEY, baseUrl: fake.url } }],
    });
  });
  after(async () => {
    await tg.close();
    await fake.close();
  });

  const send = (userAgent: string) =>
    sendRequest(`${tg.url}/gemini/v1beta/models/gemini-2.5-flash:generateContent`, {
      headers: { 'x-goog-api-key': tg.key, 'user-agent': userAgent },
      body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
    });

  it('lets Gemini CLI through on a key restricted to it, in both user-agent forms', async () => {
    expect((await send('GeminiCLI-tui/0.61.0/gemini-2.5-flash (linux; x64; terminal)')).status).to.equal(200);
    expect((await send('GeminiCLI/0.1.5 (linux; x64)')).status).to.equal(200);
  });

  it('refuses other clients with 403 in the Google error shape', async () => {
    const refused = await send('google-genai-sdk/2.32.0 gl-node/v20.20.2');
    expect(refused.status).to.equal(403);
    expect(refused.json<{ error: { code: number; status: string } }>().error.code).to.equal(403);
  });
});
