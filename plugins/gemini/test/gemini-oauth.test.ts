/**
 * `gemini-oauth` against a local fake Google token endpoint and Code Assist API: the
 * login flow (PKCE), refresh ahead of expiry, project discovery with onboarding, the
 * Code Assist relay with the account's project, and genai SDK clients served through
 * the gemini -> gemini-code-assist translator.
 */
import { expect } from 'chai';
import { GoogleGenAI } from '@google/genai';
import {
  createAuthFlowContext,
  createTestGateway,
  sendRequest,
  waitFor,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import { geminiPlugin } from '../src/index.js';
import { startFakeCodeAssist, type FakeCodeAssistState } from './fake-code-assist.js';

type Fake = FakeUpstream & { state: FakeCodeAssistState };

function options(fake: Fake) {
  return {
    oauth: {
      clientId: 'test-client.apps.example',
      clientSecret: 'not-secret',
      tokenUrl: `${fake.url}/token`,
      authorizationUrl: `${fake.url}/auth`,
    },
    codeAssistEndpoint: fake.url,
    onboardPollIntervalMs: 5,
  };
}

describe('gemini-oauth accounts', () => {
  let fake: Fake;
  let tg: TestGateway | undefined;
  beforeEach(async () => {
    fake = await startFakeCodeAssist();
  });
  afterEach(async () => {
    await tg?.close();
    tg = undefined;
    await fake.close();
  });

  async function gateway(credentials: Record<string, unknown>): Promise<TestGateway> {
    tg = await createTestGateway({
      plugins: [geminiPlugin],
      accounts: [{ type: 'gemini-oauth', name: 'google', credentials }],
      config: { pluginOptions: { gemini: options(fake) } },
    });
    return tg;
  }

  it('logs in with PKCE, exchanges the code and onboards the user to find the project', async () => {
    // The gateway instantiates the plugin with the options; its flow is then driven as the admin would.
    const plugin = geminiPlugin;
    tg = await createTestGateway({ plugins: [plugin], config: { pluginOptions: { gemini: options(fake) } } });
    const type = tg.gateway.registry.accountType('gemini-oauth')!.definition;
    const flow = type.authFlows![0]!;
    const context = createAuthFlowContext();
    const started = await flow.start(context);
    const url = new URL(started.authorizationUrl!);
    expect(url.origin + url.pathname).to.equal(`${fake.url}/auth`);
    expect(url.searchParams.get('client_id')).to.equal('test-client.apps.example');
    expect(url.searchParams.get('code_challenge_method')).to.equal('S256');
    expect(url.searchParams.get('access_type')).to.equal('offline');
    fake.state.needsOnboarding = true;
    const done = await flow.complete(context, started.state, {
      code: `https://codeassist.google.com/authcode?code=${encodeURIComponent(fake.state.code)}&state=x`,
    });
    expect(done.status).to.equal('done');
    const credentials = (done as { credentials: Record<string, unknown> }).credentials;
    expect(credentials).to.include({
      accessToken: 'ya29.issued-1',
      refreshToken: fake.state.refreshToken,
      projectId: 'onboarded-project-9',
    });
    expect(Date.parse(String(credentials.expiresAt))).to.be.greaterThan(Date.now() + 3_000_000);
    expect(fake.state.verifiers[0]).to.equal(started.state.verifier);
    expect(fake.requests.map((request) => request.path)).to.deep.equal([
      '/token',
      '/v1internal:loadCodeAssist',
      '/v1internal:onboardUser',
      '/v1internal/operations/onboard-1',
      '/v1internal/operations/onboard-1',
    ]);
  });

  it('refreshes a token about to expire before relaying, and puts the account project in the envelope', async () => {
    const tg = await gateway({
      accessToken: 'ya29.initial-token',
      refreshToken: fake.state.refreshToken,
      expiresAt: Date.now() + 60_000,
      projectId: 'fake-project-123',
    });
    const res = await sendRequest(`${tg.url}/gemini/v1internal:generateContent`, {
      headers: { authorization: `Bearer ${tg.key}` },
      body: {
        model: 'gemini-2.5-pro',
        project: 'someone-elses-project',
        request: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
      },
    });
    expect(res.status, res.text()).to.equal(200);
    expect(res.json()).to.have.nested.property('response.candidates[0].content.parts[0].text', 'Hello from Gemini.');
    const relayed = fake.requests.find((request) => request.path === '/v1internal:generateContent')!;
    expect(relayed.headers.authorization).to.equal('Bearer ya29.issued-1');
    expect(relayed.json()).to.deep.include({ project: 'fake-project-123', model: 'gemini-2.5-pro' });
    expect(fake.requests[0]!.path).to.equal('/token');
  });

  it('keeps a top-level __proto__ key as an own key when it puts the account project in the envelope', async () => {
    const tg = await gateway({
      accessToken: 'ya29.initial-token',
      refreshToken: fake.state.refreshToken,
      expiresAt: Date.now() + 3_600_000,
      projectId: 'fake-project-123',
    });
    const raw =
      '{"model":"gemini-2.5-pro","project":"someone-elses-project","__proto__":{"polluted":true},"request":{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}}';
    const res = await sendRequest(`${tg.url}/gemini/v1internal:generateContent`, {
      headers: { authorization: `Bearer ${tg.key}`, 'content-type': 'application/json' },
      body: raw,
    });
    expect(res.status, res.text()).to.equal(200);
    const relayed = fake.requests.find((request) => request.path === '/v1internal:generateContent')!;
    expect(relayed.text()).to.include('"__proto__":{"polluted":true}');
    expect(relayed.json()).to.deep.include({ project: 'fake-project-123' });
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
  });

  it('discovers the project of an account that has none, then relays Gemini CLI calls', async () => {
    fake.state.needsOnboarding = true;
    const tg = await gateway({
      accessToken: 'ya29.initial-token',
      refreshToken: fake.state.refreshToken,
      expiresAt: Date.now() + 3_600_000,
    });
    const auth = { authorization: `Bearer ${tg.key}` };
    const load = await sendRequest(`${tg.url}/gemini/v1internal:loadCodeAssist`, {
      headers: auth,
      body: { metadata: { ideType: 'IDE_UNSPECIFIED' } },
    });
    expect(load.json()).to.deep.include({ cloudaicompanionProject: 'fake-project-123' });
    for (const method of ['retrieveUserQuota', 'listExperiments']) {
      const res = await sendRequest(`${tg.url}/gemini/v1internal:${method}`, {
        headers: auth,
        body: { project: 'fake-project-123' },
      });
      expect(res.status, method).to.equal(200);
    }
    const stream = await sendRequest(`${tg.url}/gemini/v1internal:streamGenerateContent?alt=sse`, {
      headers: auth,
      body: {
        model: 'gemini-2.5-flash',
        project: 'fake-project-123',
        request: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
      },
    });
    expect(stream.text()).to.match(/^data: \{"response":/);
    const relayed = fake.requests.find((request) => request.path === '/v1internal:streamGenerateContent')!;
    expect(relayed.json(), 'the discovered project replaces the client one').to.deep.include({ project: 'onboarded-project-9' });
    expect(fake.requests.slice(0, 3).map((request) => request.path)).to.deep.equal([
      '/v1internal:loadCodeAssist',
      '/v1internal:onboardUser',
      '/v1internal/operations/onboard-1',
    ]);
    const [record] = await waitFor(async () => {
      const list = await tg.gateway.store.usage.list();
      return list.find((entry) => entry.stream) ? list.filter((entry) => entry.stream) : undefined;
    });
    expect(record!.usage).to.include({ inputTokens: 12, outputTokens: 8 });
    expect(record!.model).to.equal('gemini-2.5-flash');
    const op = await sendRequest(`${tg.url}/gemini/v1internal/operations/onboard-1`, { headers: auth });
    expect(op.status).to.equal(200);
  });

  it('serves genai SDK clients (unary, streamed, countTokens) through the Code Assist translator', async () => {
    const tg = await gateway({
      accessToken: 'ya29.initial-token',
      refreshToken: fake.state.refreshToken,
      expiresAt: Date.now() + 3_600_000,
      projectId: 'fake-project-123',
    });
    const ai = new GoogleGenAI({ apiKey: tg.key, httpOptions: { baseUrl: `${tg.url}/gemini` } });
    expect((await ai.models.generateContent({ model: 'gemini-2.5-pro', contents: 'hi' })).text).to.equal('Hello from Gemini.');
    let text = '';
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-pro', contents: 'hi' }))
      text += chunk.text ?? '';
    expect(text).to.equal('Hello there from the fake Gemini');
    expect((await ai.models.countTokens({ model: 'gemini-2.5-pro', contents: 'hi' })).totalTokens).to.equal(42);
    const sent = fake.requests.filter((request) => request.path.startsWith('/v1internal:'));
    expect(sent.map((request) => request.url)).to.deep.equal([
      '/v1internal:generateContent',
      '/v1internal:streamGenerateContent?alt=sse',
      '/v1internal:countTokens',
    ]);
    expect(sent[0]!.json()).to.deep.include({ model: 'gemini-2.5-pro', project: 'fake-project-123' });
    expect(sent[2]!.json()).to.deep.equal({
      request: { model: 'models/gemini-2.5-pro', contents: [{ parts: [{ text: 'hi' }], role: 'user' }] },
      project: 'fake-project-123',
    });
  });
});
