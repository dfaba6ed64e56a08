/**
 * The claude-oauth account type against a local fake OAuth server and a fake Anthropic
 * API: the PKCE login and the setup-token flow, refresh ahead of expiry under the
 * gateway's lock (one refresh for many concurrent requests), a failed refresh cooling
 * the account down, the OAuth beta flag, and the probe.
 */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { AccountContext, SwitchyardPlugin } from '@switchyard/plugin-api';
import {
  createAuthFlowContext,
  createMemoryKv,
  createTestGateway,
  createTestHttpClient,
  sendRequest,
  silentLogger,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import {
  claudeOptionsSchema,
  claudePlugin,
  createClaudeOAuthAccountType,
  parsePastedCode,
  type ClaudeOAuthCredentials,
  type ClaudeOptions,
} from '../src/index.js';
import { RateLimitStatusBook } from '../src/rate-limit-status.js';
import { startFakeAnthropic } from './fake-anthropic-upstream.js';
import { oauthOptionsFor, startFakeClaudeOAuth, type FakeOAuthState } from './fake-claude-oauth.js';

const http = createTestHttpClient();
after(() => http.close());

const OLD_ACCESS = 'sk-ant-oat01-old-access-token-000001';
const OLD_REFRESH = 'sk-ant-ort01-old-refresh-token-000001';

describe('claude-oauth accounts', function () {
  this.timeout(20_000);
  let oauth: FakeUpstream;
  let api: FakeUpstream;
  let state: FakeOAuthState;
  let plugin: SwitchyardPlugin<ClaudeOptions>;
  let tg: TestGateway | undefined;

  const oauthType = () =>
    createClaudeOAuthAccountType(claudeOptionsSchema.parse(oauthOptionsFor(oauth, api.url)), new RateLimitStatusBook());

  async function start(credentials?: Partial<ClaudeOAuthCredentials>): Promise<TestGateway> {
    tg = await createTestGateway({
      plugins: [plugin],
      config: { pluginOptions: { claude: oauthOptionsFor(oauth, api.url) } },
      accounts: credentials
        ? [{ type: 'claude-oauth', name: 'max', credentials: { accessToken: OLD_ACCESS, ...credentials } }]
        : [],
    });
    return tg;
  }

  beforeEach(async () => {
    state = { code: 'auth-code-123', refreshTokens: new Set([OLD_REFRESH]), accessTokens: new Set([OLD_ACCESS]), grants: 0 };
    oauth = await startFakeClaudeOAuth(state);
    api = await startFakeAnthropic({ intervalMs: 5 });
    plugin = claudePlugin;
  });
  afterEach(async () => {
    await tg?.close();
    tg = undefined;
    await oauth.close();
    await api.close();
  });

  it('builds a PKCE authorization URL and exchanges the pasted code#state', async () => {
    await start();
    const flow = oauthType().authFlows!.find((candidate) => candidate.id === 'pkce')!;
    const started = await flow.start(createAuthFlowContext({ http }));
    const url = new URL(started.authorizationUrl!);
    expect(`${url.origin}${url.pathname}`).to.equal(`${oauth.url}/oauth/authorize`);
    const { verifier, state: expectedState } = started.state as { verifier: string; state: string };
    expect(url.searchParams.get('code_challenge')).to.equal(createHash('sha256').update(verifier).digest('base64url'));
    expect(Object.fromEntries(url.searchParams)).to.include({
      code: 'true',
      client_id: 'test-client-id',
      response_type: 'code',
      redirect_uri: `${oauth.url}/callback`,
      code_challenge_method: 'S256',
      state: expectedState,
    });
    expect(url.searchParams.get('scope')).to.include('user:inference');
    expect(started.input?.safeParse({ code: 'x' }).success).to.equal(true);

    const done = await flow.complete(createAuthFlowContext({ http }), started.state, { code: `auth-code-123#${expectedState}` });
    expect(done.status).to.equal('done');
    if (done.status !== 'done') return;
    expect(done.credentials.accessToken).to.match(/^sk-ant-oat01-fresh-access-1/);
    expect(done.credentials.refreshToken).to.match(/^sk-ant-ort01-fresh-refresh-1/);
    expect(Date.parse(String(done.credentials.expiresAt)) - Date.now()).to.be.within(28_700_000, 28_800_000);
    expect(done.suggestedName).to.equal('max-user@example.com');
    expect(oauthType().credentials.safeParse(done.credentials).success, 'the result fits the credential schema').to.equal(true);
    const grant = oauth.requests.at(-1)!.json<Record<string, string>>();
    expect(grant).to.include({
      grant_type: 'authorization_code',
      code: 'auth-code-123',
      code_verifier: verifier,
      client_id: 'test-client-id',
      state: expectedState,
    });
  });

  it('accepts the full callback URL and refuses a code from another attempt', async () => {
    await start();
    const flow = oauthType().authFlows!.find((candidate) => candidate.id === 'pkce')!;
    const started = await flow.start(createAuthFlowContext({ http }));
    const expectedState = (started.state as { state: string }).state;
    const done = await flow.complete(createAuthFlowContext({ http }), started.state, {
      code: `${oauth.url}/callback?code=auth-code-123&state=${expectedState}`,
    });
    expect(done.status).to.equal('done');
    const grants = state.grants;
    const mismatch = await flow
      .complete(createAuthFlowContext({ http }), started.state, { code: 'auth-code-123#someone-elses-state' })
      .catch((error: unknown) => error);
    expect(mismatch).to.be.instanceOf(Error);
    expect((mismatch as Error).message).to.match(/state/);
    expect(state.grants, 'no token call for a mismatched state').to.equal(grants);
    expect(parsePastedCode('abc')).to.deep.equal({ code: 'abc' });
  });

  it('takes a pasted setup token as credentials without a refresh token', async () => {
    await start();
    const flow = oauthType().authFlows!.find((candidate) => candidate.id === 'setup-token')!;
    const started = await flow.start(createAuthFlowContext({ http }));
    expect(started.instructions).to.match(/claude setup-token/);
    const done = await flow.complete(createAuthFlowContext({ http }), started.state, {
      token: '  sk-ant-oat01-long-lived-setup-token-xyz  ',
    });
    expect(done).to.deep.equal({ status: 'done', credentials: { accessToken: 'sk-ant-oat01-long-lived-setup-token-xyz' } });
    expect(
      oauthType().refresh!.isDue({ accessToken: 'x', expiresAt: new Date(0).toISOString() }, new Date()),
      'nothing to refresh with',
    ).to.equal(false);
  });

  it('refreshes a token expiring within 5 minutes once, for many concurrent requests', async () => {
    const gw = await start({ refreshToken: OLD_REFRESH, expiresAt: new Date(Date.now() + 60_000).toISOString() });
    const send = () =>
      sendRequest(`${gw.url}/api/v1/messages`, {
        headers: { 'x-api-key': gw.key },
        body: { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [] },
      });
    const answers = await Promise.all([send(), send(), send(), send()]);
    for (const res of answers) expect(res.status, res.text()).to.equal(200);
    expect(state.grants, 'one refresh').to.equal(1);
    const grant = oauth.requests.find((req) => req.path === '/v1/oauth/token')!.json<Record<string, string>>();
    expect(grant).to.deep.equal({ grant_type: 'refresh_token', refresh_token: OLD_REFRESH, client_id: 'test-client-id' });
    for (const req of api.requests) expect(req.headers.authorization).to.equal('Bearer sk-ant-oat01-fresh-access-1-abcdef');
    // The rotated tokens were stored: a later request needs no refresh.
    expect((await send()).status).to.equal(200);
    expect(state.grants).to.equal(1);
  });

  it('cools the account down as auth_failed when the refresh is refused', async () => {
    state.failWith = 400;
    const gw = await start({ refreshToken: OLD_REFRESH, expiresAt: new Date(Date.now() + 60_000).toISOString() });
    const res = await sendRequest(`${gw.url}/api/v1/messages`, {
      headers: { 'x-api-key': gw.key },
      body: { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [] },
    });
    expect(res.status).to.be.within(500, 599);
    expect(res.json<{ type: string }>().type).to.equal('error');
    expect(api.requests).to.have.length(0);
    const accountState = (await gw.gateway.store.accountState.getMany(gw.accountIds)).get(gw.accountIds[0]!);
    expect(accountState?.cooldownKind).to.equal('auth_failed');
    expect(JSON.stringify(gw.logs)).not.to.include(OLD_REFRESH);
  });

  it('sends the token as Bearer and adds the OAuth beta flag only when the client did not', async () => {
    const gw = await start({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    const body = { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [] };
    await sendRequest(`${gw.url}/api/v1/messages`, {
      headers: { 'x-api-key': gw.key, 'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14' },
      body,
    });
    await sendRequest(`${gw.url}/api/v1/messages`, {
      headers: { authorization: `Bearer ${gw.key}`, 'anthropic-beta': 'oauth-2025-04-20,claude-code-20250219' },
      body,
    });
    await sendRequest(`${gw.url}/api/v1/messages`, { headers: { 'x-api-key': gw.key }, body });
    const seen = api.requests.map((req) => req.headers['anthropic-beta']);
    expect(seen).to.deep.equal([
      'claude-code-20250219,interleaved-thinking-2025-05-14,oauth-2025-04-20',
      'oauth-2025-04-20,claude-code-20250219',
      'oauth-2025-04-20',
    ]);
    for (const req of api.requests) {
      expect(req.headers.authorization).to.equal(`Bearer ${OLD_ACCESS}`);
      expect(req.headers['x-api-key']).to.equal(undefined);
    }
  });

  it('keeps the unified rate-limit status and probes the subscription tier and usage windows', async () => {
    api.setHandler((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'anthropic-ratelimit-unified-5h-status': 'allowed_warning',
        'anthropic-ratelimit-unified-5h-reset': '1795000000',
      });
      res.end(
        JSON.stringify({
          type: 'message',
          model: 'claude-sonnet-4-5',
          content: [],
          usage: { input_tokens: 1, output_tokens: 1 },
        }),
      );
    });
    const gw = await start({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    await sendRequest(`${gw.url}/api/v1/messages`, {
      headers: { 'x-api-key': gw.key },
      body: { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [] },
    });
    const kv = createMemoryKv();
    const stored = await gw.gateway.store.pluginKv.get('claude', `rate-limit-status:${gw.accountIds[0]}`);
    expect(stored).to.deep.include({ '5h-status': 'allowed_warning', '5h-reset': '1795000000' });
    await kv.set(`rate-limit-status:acc-1`, stored);
    const context: AccountContext<ClaudeOAuthCredentials> = {
      account: { id: 'acc-1', type: 'claude-oauth', name: 'max', priority: 50, groups: [], settings: {} },
      credentials: { accessToken: OLD_ACCESS },
      http,
      signal: AbortSignal.timeout(10_000),
      log: silentLogger,
      kv,
    };
    const probe = await oauthType().probe!(context);
    expect(probe.ok, probe.message).to.equal(true);
    expect(probe.details).to.deep.include({ subscription: 'max' });
    expect(probe.details?.usage).to.deep.equal({
      '5h': { utilization: 37, resetsAt: '2026-11-26T15:00:00Z' },
      '7d': { utilization: 12.5, resetsAt: '2026-11-30T00:00:00Z' },
    });
    expect(probe.details?.rateLimit).to.deep.include({ '5h-status': 'allowed_warning' });
    // An expiry stored as epoch milliseconds (before issue 15) is shown as ISO 8601, like every other.
    const legacy = await oauthType().probe!({
      ...context,
      // Stored before the schema normalised it: not the type the schema outputs today.
      credentials: { accessToken: OLD_ACCESS, expiresAt: Date.UTC(2099, 0, 1) as unknown as string },
    });
    expect(legacy.details).to.have.property('expiresAt', '2099-01-01T00:00:00.000Z');
    const rejected = await oauthType().probe!({ ...context, credentials: { accessToken: 'sk-ant-oat01-revoked-token-00000' } });
    expect(rejected.ok).to.equal(false);
    expect(rejected.message).not.to.include('revoked');
  });
});
