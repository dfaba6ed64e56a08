/**
 * The WorkOS sign-in of droid accounts against a fake WorkOS on 127.0.0.1: the
 * device-code flow (user code and verification URL shown, pending while the operator
 * has not approved, tokens once approved, scoped to the organization Factory names),
 * its refusals, and the refresh ahead of expiry a request triggers in a gateway (under
 * the core's cross-instance lock), the rotated token then reaching Factory.
 */
import { expect } from 'chai';
import {
  createAuthFlowContext,
  createTestGateway,
  sendRequest,
  waitFor,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import { resolvePluginParts, type AccountTypeDefinition } from '@switchyard/plugin-api';
import claudePlugin from '@switchyard/plugin-claude';
import openaiPlugin from '@switchyard/plugin-openai';
import droidPlugin, { droidOptionsSchema, type DroidCredentials } from '../src/index.js';
import { startFakeFactory } from './fake-factory.js';
import { CLIENT_ID, USER_CODE, jwt, newWorkosState, startFakeWorkos, type FakeWorkosState } from './fake-workos.js';

describe('droid WorkOS sign-in', function () {
  this.timeout(30_000);
  let workos: FakeUpstream;
  let state: FakeWorkosState;
  let tg: TestGateway | undefined;

  const oauthOptions = (clientId: string | null = CLIENT_ID) => ({
    oauth: { ...(clientId ? { clientId } : {}), workosUrl: workos.url, appUrl: workos.url },
  });
  const flowFor = (clientId: string | null) => {
    const parts = resolvePluginParts(droidPlugin, {
      pluginId: 'droid',
      options: droidOptionsSchema.parse(oauthOptions(clientId)),
    });
    const type = parts.accountTypes![0] as unknown as AccountTypeDefinition<never, DroidCredentials>;
    return type.authFlows!.find((flow) => flow.id === 'device-code')!;
  };

  beforeEach(async () => {
    state = newWorkosState();
    workos = await startFakeWorkos(state);
  });
  afterEach(async () => {
    await tg?.close();
    tg = undefined;
    await workos.close();
  });

  it('shows the user code and verification URL, stays pending until approved, then stores org-scoped tokens', async () => {
    const flow = flowFor(CLIENT_ID);
    const context = createAuthFlowContext();
    const start = await flow.start(context);
    expect(start.userCode).to.equal(USER_CODE);
    expect(start.verificationUrl).to.equal(`https://auth.example.test/device?user_code=${USER_CODE}`);
    expect(start.pollIntervalMs).to.equal(5000);
    expect(JSON.stringify(start.state)).not.to.include(USER_CODE);

    expect(await flow.complete(context, start.state, {})).to.deep.equal({ status: 'pending' });
    state.device = 'slow_down';
    expect(await flow.complete(context, start.state, {})).to.deep.equal({ status: 'pending' });
    state.device = 'approved';
    const done = await flow.complete(context, start.state, {});
    if (done.status !== 'done') throw new Error('expected done');
    // The login named no organization: Factory's /api/cli/org did, and one refresh scoped the token to the first.
    expect(state.refreshes).to.deep.equal([{ refreshToken: 'refresh-1-abcdef', organizationId: 'org_A' }]);
    expect(done.credentials).to.deep.equal({
      accessToken: jwt('access-2-org_A', state.expMs),
      refreshToken: 'refresh-2-abcdef',
      expiresAt: new Date(Math.floor(state.expMs / 1000) * 1000).toISOString(),
      organizationId: 'org_A',
    });
    expect(done.suggestedName).to.equal('droid ada@example.com');
    const org = workos.requests.find((request) => request.path === '/api/cli/org')!;
    expect(org.headers.authorization).to.equal(`Bearer ${jwt('access-1', state.expMs)}`);
  });

  it('refuses a denied login and one without a configured client id', async () => {
    const flow = flowFor(CLIENT_ID);
    const context = createAuthFlowContext();
    const start = await flow.start(context);
    state.device = 'denied';
    let message = '';
    await flow.complete(context, start.state, {}).catch((error: Error) => (message = error.message));
    expect(message).to.match(/denied/);

    let missing = '';
    await flowFor(null)
      .start(context)
      .catch((error: Error) => (missing = error.message));
    expect(missing).to.include('oauth.clientId');
    expect(workos.requests).to.have.length(2);
  });

  describe('in a gateway', () => {
    let factory: FakeUpstream;
    afterEach(async () => factory?.close());

    async function start(credentials: Record<string, unknown>): Promise<TestGateway> {
      tg = await createTestGateway({
        plugins: [claudePlugin, openaiPlugin, droidPlugin],
        config: { pluginOptions: { droid: oauthOptions() } },
        accounts: [{ type: 'droid', name: 'signed-in', credentials: { ...credentials, baseUrl: factory.url } }],
      });
      return tg;
    }
    const send = (gateway: TestGateway) =>
      sendRequest(`${gateway.url}/droid/openai/v1/responses`, {
        headers: { authorization: `Bearer ${gateway.key}` },
        body: { model: 'gpt-5', input: 'hi' },
      });

    it('refreshes a token expiring within refreshAheadMs before the request, then uses the new token', async () => {
      const fresh = jwt('access-1-org_A', state.expMs);
      factory = await startFakeFactory({ accept: [fresh] });
      state.refreshTokens.add('refresh-seed-0001');
      const gateway = await start({
        accessToken: jwt('old', Date.now() + 10 * 60_000),
        refreshToken: 'refresh-seed-0001',
        expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
        organizationId: 'org_A',
      });
      const first = await send(gateway);
      expect(first.status, first.text()).to.equal(200);
      expect(state.refreshes).to.deep.equal([{ refreshToken: 'refresh-seed-0001', organizationId: 'org_A' }]);
      expect(factory.requests[0]!.headers.authorization).to.equal(`Bearer ${fresh}`);
      // The rotated tokens were stored: the next request needs no refresh.
      expect((await send(gateway)).status).to.equal(200);
      expect(state.refreshes).to.have.length(1);
      expect(JSON.stringify(gateway.logs)).not.to.include('refresh-seed-0001');
    });

    it('cools the account down (auth_failed) when the refresh is refused, without calling Factory', async () => {
      factory = await startFakeFactory({ accept: [] });
      const gateway = await start({
        accessToken: jwt('old', Date.now() - 1000),
        refreshToken: 'refresh-revoked-0001',
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      });
      const res = await send(gateway);
      expect(res.status).to.not.equal(200);
      const accountState = async () =>
        (await gateway.gateway.store.accountState.getMany([gateway.accountIds[0]!])).get(gateway.accountIds[0]!);
      await waitFor(async () => ((await accountState())?.cooldownKind === 'auth_failed' ? true : undefined));
      expect(factory.requests).to.have.length(0);
    });
  });
});
