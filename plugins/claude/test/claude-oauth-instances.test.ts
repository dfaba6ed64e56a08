/**
 * Token refresh across gateway instances: two gateways sharing one redis store serve
 * concurrent requests for the same subscription account whose token is about to
 * expire; the refresh token is used exactly once (the core's cross-instance lock), and
 * both instances use the new access token.
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { claudePlugin } from '../src/index.js';
import { startFakeAnthropic } from './fake-anthropic-upstream.js';
import { oauthOptionsFor, startFakeClaudeOAuth, type FakeOAuthState } from './fake-claude-oauth.js';

const OLD_ACCESS = 'sk-ant-oat01-shared-old-access-0001';
const OLD_REFRESH = 'sk-ant-ort01-shared-old-refresh-0001';

describe('claude-oauth refresh across gateway instances (redis store)', function () {
  this.timeout(30_000);
  let oauth: FakeUpstream;
  let api: FakeUpstream;
  let state: FakeOAuthState;
  const gateways: TestGateway[] = [];

  beforeEach(async () => {
    state = { code: 'unused', refreshTokens: new Set([OLD_REFRESH]), accessTokens: new Set([OLD_ACCESS]), grants: 0 };
    oauth = await startFakeClaudeOAuth(state);
    api = await startFakeAnthropic({ intervalMs: 5 });
  });
  afterEach(async () => {
    // The first gateway owns the redis namespace: close it last.
    for (const tg of gateways.splice(0).reverse()) await tg.close();
    await oauth.close();
    await api.close();
  });

  it('refreshes once for requests arriving at both instances', async () => {
    // Both instances share the store and the encryption key, as a real deployment does.
    const config = {
      pluginOptions: { claude: oauthOptionsFor(oauth, api.url) },
      security: { encryptionKey: 'shared-instances-encryption-key-0123456789' },
    };
    const one = await createTestGateway({
      plugins: [claudePlugin],
      store: 'redis',
      config,
      keys: [{ name: 'shared', plaintext: 'sy_shared_instance_key_0123456789' }],
      accounts: [
        {
          type: 'claude-oauth',
          name: 'max',
          credentials: {
            accessToken: OLD_ACCESS,
            refreshToken: OLD_REFRESH,
            expiresAt: new Date(Date.now() + 60_000).toISOString(),
          },
        },
      ],
    });
    gateways.push(one);
    const two = await createTestGateway({
      plugins: [claudePlugin],
      config: { ...config, store: one.gateway.config.store },
      keys: [],
    });
    gateways.push(two);

    const send = (tg: TestGateway) =>
      sendRequest(`${tg.url}/api/v1/messages`, {
        headers: { 'x-api-key': one.key },
        body: { model: 'claude-sonnet-4-6', max_tokens: 5, messages: [] },
      });
    const answers = await Promise.all([send(one), send(two), send(one), send(two)]);
    for (const res of answers) expect(res.status, res.text()).to.equal(200);
    expect(state.grants, 'one refresh for both instances').to.equal(1);
    expect(new Set(api.requests.map((req) => req.headers.authorization))).to.deep.equal(
      new Set(['Bearer sk-ant-oat01-fresh-access-1-abcdef']),
    );
  });
});
