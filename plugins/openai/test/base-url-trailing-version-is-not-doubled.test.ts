/**
 * Issue 15 part 5: `baseUrl` means the same for every account type: an origin plus an
 * optional path prefix, without the API version. A trailing version a user writes anyway
 * (`/v1`, `/v1beta`) is tolerated and never doubled; an OpenAI-compatible server whose API
 * root carries another version (`/api/paas/v4`) keeps it. The fake upstreams see the paths.
 * (claude-oauth, gemini-oauth and openai-codex: see oauth-accounts-with-iso-expiry-from-a-json-config.)
 */
import { expect } from 'chai';
import type { SwitchyardPlugin } from '@switchyard/plugin-api';
import { createTestGateway, sendRequest, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { geminiPlugin } from '@switchyard/plugin-gemini';
import { openaiPlugin } from '../src/index.js';
import { startFakeOpenAi } from './fake-openai-upstream.js';
import { startFakeGemini } from '../../gemini/test/fake-gemini-upstream.js';
import { startFakeAnthropic } from '../../claude/test/fake-anthropic-upstream.js';

describe('an account baseUrl with a trailing API version is not doubled', () => {
  let fake: FakeUpstream | undefined;
  let tg: TestGateway | undefined;
  afterEach(async () => {
    await tg?.close();
    await fake?.close();
    tg = undefined;
    fake = undefined;
  });

  async function gatewayWith(plugin: SwitchyardPlugin, type: string, credentials: Record<string, unknown>): Promise<TestGateway> {
    tg = await createTestGateway({ plugins: [plugin], accounts: [{ type, name: 'a', credentials }] });
    return tg;
  }

  const claudeBody = { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] };
  const chatBody = { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] };

  for (const suffix of ['', '/', '/v1', '/v1/']) {
    it(`claude-console: baseUrl "<origin>${suffix}" reaches /v1/messages`, async () => {
      fake = await startFakeAnthropic({ credential: 'sk-ant-api03-test-key' });
      const gw = await gatewayWith(claudePlugin, 'claude-console', {
        apiKey: 'sk-ant-api03-test-key',
        baseUrl: `${fake.url}${suffix}`,
      });
      const res = await sendRequest(`${gw.url}/api/v1/messages`, { headers: { 'x-api-key': gw.key }, body: claudeBody });
      expect(res.status, res.text()).to.equal(200);
      expect(fake.requests.map((request) => request.path)).to.deep.equal(['/v1/messages']);
    });
  }

  for (const suffix of ['', '/v1beta', '/v1beta/']) {
    it(`gemini-api: baseUrl "<origin>${suffix}" reaches /v1beta/models/...`, async () => {
      fake = await startFakeGemini({ apiKey: 'gemini-test-key' });
      const gw = await gatewayWith(geminiPlugin, 'gemini-api', {
        apiKey: 'gemini-test-key',
        baseUrl: `${fake.url}${suffix}`,
      });
      const res = await sendRequest(`${gw.url}/gemini/v1beta/models/gemini-2.5-pro:generateContent`, {
        headers: { 'x-goog-api-key': gw.key },
        body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
      });
      expect(res.status, res.text()).to.equal(200);
      expect(fake.requests.map((request) => request.path)).to.deep.equal(['/v1beta/models/gemini-2.5-pro:generateContent']);
    });
  }

  for (const suffix of ['', '/v1', '/v1/']) {
    it(`openai-api: baseUrl "<origin>${suffix}" reaches /v1/chat/completions`, async () => {
      fake = await startFakeOpenAi({ apiKey: 'sk-test-key' });
      const gw = await gatewayWith(openaiPlugin, 'openai-api', {
        apiKey: 'sk-test-key',
        baseUrl: `${fake.url}${suffix}`,
      });
      const res = await sendRequest(`${gw.url}/openai/v1/chat/completions`, {
        headers: { authorization: `Bearer ${gw.key}` },
        body: chatBody,
      });
      expect(res.status, res.text()).to.equal(200);
      expect(fake.requests.map((request) => request.path)).to.deep.equal(['/v1/chat/completions']);
    });
  }

  it('openai-api: a compatible server whose API root has another version (/api/paas/v4) keeps it', async () => {
    fake = await startFakeOpenAi({ apiKey: 'sk-test-key' });
    const gw = await gatewayWith(openaiPlugin, 'openai-api', {
      apiKey: 'sk-test-key',
      baseUrl: `${fake.url}/api/paas/v4`,
    });
    await sendRequest(`${gw.url}/openai/v1/chat/completions`, { headers: { authorization: `Bearer ${gw.key}` }, body: chatBody });
    expect(fake.requests.map((request) => request.path)).to.deep.equal(['/api/paas/v4/chat/completions']);
  });
});
