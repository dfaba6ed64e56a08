/**
 * A key with model rules on Gemini CLI's Code Assist calls: the setup and status calls
 * (`loadCodeAssist`, quota, experiments, operation polls) name no model by design and
 * pass (the protocol marks them `modelless`); model calls are judged, and one without a
 * readable model is refused.
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { geminiPlugin } from '../src/index.js';
import { startFakeCodeAssist, type FakeCodeAssistState } from './fake-code-assist.js';

type Fake = FakeUpstream & { state: FakeCodeAssistState };

describe('gemini-code-assist: a key with model rules', () => {
  let fake: Fake;
  let tg: TestGateway;

  before(async () => {
    fake = await startFakeCodeAssist();
    tg = await createTestGateway({
      plugins: [geminiPlugin],
      keys: [{ name: 'no-pro', limits: { models: { deny: ['gemini-*-pro'] } } }],
      accounts: [
        {
          type: 'gemini-oauth',
          name: 'google',
          credentials: {
            accessToken: 'ya29.initial-token',
            refreshToken: fake.state.refreshToken,
            expiresAt: Date.now() + 3_600_000,
            projectId: 'fake-project-123',
          },
        },
      ],
      config: {
        pluginOptions: {
          gemini: {
            oauth: {
              clientId: 'test-client.apps.example',
              clientSecret: 'not-secret',
              tokenUrl: `${fake.url}/token`,
              authorizationUrl: `${fake.url}/auth`,
            },
            codeAssistEndpoint: fake.url,
            onboardPollIntervalMs: 5,
          },
        },
      },
    });
  });
  after(async () => {
    await tg?.close();
    await fake?.close();
  });

  const auth = () => ({ authorization: `Bearer ${tg.key}` });
  const call = (method: string, body: unknown) => sendRequest(`${tg.url}/gemini/v1internal:${method}`, { headers: auth(), body });
  const contents = [{ role: 'user', parts: [{ text: 'hi' }] }];

  it('passes the calls that name no model by design', async () => {
    expect((await call('loadCodeAssist', { metadata: { ideType: 'IDE_UNSPECIFIED' } })).status).to.equal(200);
    for (const method of ['retrieveUserQuota', 'listExperiments']) {
      expect((await call(method, { project: 'fake-project-123' })).status, method).to.equal(200);
    }
  });

  it('judges model calls, refusing a denied model and one without a readable model', async () => {
    expect((await call('generateContent', { model: 'gemini-2.5-flash', project: 'p', request: { contents } })).status).to.equal(
      200,
    );
    for (const body of [
      { model: 'gemini-2.5-pro', project: 'p', request: { contents } },
      { model: ' gemini-2.5-pro', project: 'p', request: { contents } },
      { model: ['gemini-2.5-pro'], project: 'p', request: { contents } },
      { project: 'p', request: { contents } },
    ]) {
      const res = await call('generateContent', body);
      expect(res.status, JSON.stringify(body)).to.equal(403);
      expect(res.json<{ error: { message: string } }>().error.message).to.match(/model/);
    }
  });
});
