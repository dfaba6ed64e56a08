import { expect } from 'chai';
import { startAdminHarness, UPSTREAM_KEY, type AdminHarness } from './admin-harness.js';
import { flowPlugin } from './flow-plugin.js';

interface Account {
  id: string;
  name: string;
  enabled: boolean;
  credentialFields: string[];
  state: { coolingDownUntil?: string; cooldownKind?: string };
}

describe('admin API: plugins and accounts', () => {
  let h: AdminHarness;
  let token: string;
  beforeEach(async () => {
    h = await startAdminHarness({}, [flowPlugin]);
    token = await h.login();
  });
  afterEach(async () => h.close());

  it('lists plugins and account types with JSON Schemas and secret fields marked', async () => {
    const plugins = (await h.call('GET', 'api/plugins', { token })).json<{ id: string; accountTypes: string[] }[]>();
    expect(plugins.map((plugin) => plugin.id)).to.deep.equal(['echo', 'flowdemo']);
    const types = (await h.call('GET', 'api/account-types', { token })).json<
      {
        id: string;
        secretFields: string[];
        credentialsSchema: { properties: Record<string, Record<string, unknown>>; required: string[] };
        authFlows: { id: string }[];
        canProbe: boolean;
      }[]
    >();
    const echo = types.find((type) => type.id === 'echo-key')!;
    expect(echo.secretFields).to.deep.equal(['apiKey']);
    expect(echo.credentialsSchema.properties['apiKey']).to.deep.include({ type: 'string', 'x-switchyard-secret': true });
    expect(echo.credentialsSchema.properties['baseUrl']).to.deep.include({ type: 'string', format: 'uri' });
    // The form says what baseUrl means, the same for every account type (issue 15 part 5).
    expect(echo.credentialsSchema.properties['baseUrl']!['description']).to.match(
      /^Origin plus optional path prefix, without the API version/,
    );
    expect(echo.credentialsSchema.required).to.deep.equal(['apiKey']);
    expect(echo.canProbe).to.equal(true);
    const flow = types.find((type) => type.id === 'flowdemo-token')!;
    expect(flow.authFlows).to.deep.equal([{ id: 'paste-code', label: 'Paste a code' }]);
    expect((await h.call('GET', 'api/account-types/nope', { token })).status).to.equal(404);
  });

  it('creates, reads, changes, probes, pauses, resumes, resets and deletes an account; never returns the secret', async () => {
    const bad = await h.call('POST', 'api/accounts', {
      token,
      body: { type: 'echo-key', name: 'a', credentials: { apiKey: 'short' } },
    });
    expect(bad.status).to.equal(400);
    expect(bad.json<{ error: { problems: string[] } }>().error.problems.join('\n')).to.match(/apiKey/);
    const unknownType = await h.call('POST', 'api/accounts', { token, body: { type: 'nope', name: 'a', credentials: {} } });
    expect(unknownType.status).to.equal(400);
    const created = await h.call('POST', 'api/accounts', {
      token,
      body: {
        type: 'echo-key',
        name: 'Echo one',
        credentials: { apiKey: UPSTREAM_KEY, baseUrl: h.upstream.url },
        proxy: 'http://user:proxy-pass@127.0.0.1:9',
      },
    });
    expect(created.status).to.equal(201);
    const account = created.json<Account>();
    expect(account.credentialFields.sort()).to.deep.equal(['apiKey', 'baseUrl']);
    const seen: string[] = [created.text()];
    seen.push((await h.call('GET', 'api/accounts', { token })).text());
    seen.push((await h.call('GET', `api/accounts/${account.id}`, { token })).text());
    const renamed = await h.call('PATCH', `api/accounts/${account.id}`, { token, body: { name: 'Echo 1', proxy: null } });
    expect(renamed.json<Account>().name).to.equal('Echo 1');
    seen.push(renamed.text());
    const probe = await h.call('POST', `api/accounts/${account.id}/probe`, { token });
    expect(probe.json<{ ok: boolean }>()).to.deep.include({ ok: true });
    seen.push(probe.text());
    const paused = (await h.call('POST', `api/accounts/${account.id}/pause`, { token })).json<
      Account & { paused?: { at: string; reason?: string } }
    >();
    expect(paused.enabled).to.equal(true);
    expect(paused.paused?.reason).to.equal('paused by root');
    const resumed = (await h.call('POST', `api/accounts/${account.id}/resume`, { token })).json<Account & { paused?: unknown }>();
    expect(resumed.paused).to.equal(undefined);
    expect(resumed.enabled).to.equal(true);
    await h.tg.gateway.store.accountState.setCooldown(account.id, Date.now() + 60_000, 'rate_limited', 'slow down');
    const cooling = (await h.call('GET', `api/accounts/${account.id}`, { token })).json<Account>();
    expect(cooling.state).to.deep.include({ cooldownKind: 'rate_limited' });
    const reset = (await h.call('POST', `api/accounts/${account.id}/reset`, { token })).json<Account>();
    expect(reset.state.coolingDownUntil).to.equal(undefined);
    seen.push(JSON.stringify(h.tg.logs));
    for (const text of seen) {
      expect(text).to.not.contain(UPSTREAM_KEY);
      expect(text).to.not.contain('proxy-pass');
    }
    const badPatch = await h.call('PATCH', `api/accounts/${account.id}`, { token, body: { priority: 500 } });
    expect(badPatch.status).to.equal(400);
    expect(badPatch.json<{ error: { problems: string[] } }>().error.problems[0]).to.match(/^priority:/);
    expect((await h.call('DELETE', `api/accounts/${account.id}`, { token })).status).to.equal(200);
    expect((await h.call('GET', `api/accounts/${account.id}`, { token })).status).to.equal(404);
    expect((await h.call('DELETE', `api/accounts/${account.id}`, { token })).status).to.equal(404);
    expect((await h.call('POST', `api/accounts/${account.id}/probe`, { token })).status).to.equal(404);
  });

  it('drives an account type auth flow generically, without exposing its state or the credentials', async () => {
    const start = await h.call('POST', 'api/account-types/flowdemo-token/auth-flows/paste-code/start', { token });
    expect(start.status).to.equal(200);
    const started = start.json<{
      flowId: string;
      authorizationUrl: string;
      inputSchema: { properties: Record<string, unknown> };
    }>();
    expect(started.authorizationUrl).to.contain('auth.example.test');
    expect(Object.keys(started.inputSchema.properties)).to.deep.equal(['code']);
    expect(start.text()).to.not.contain('pkce-verifier-xyz');
    const pending = await h.call('POST', `api/auth-flows/${started.flowId}/complete`, {
      token,
      body: { input: { code: 'wait' } },
    });
    expect(pending.json()).to.deep.equal({ status: 'pending' });
    const done = await h.call('POST', `api/auth-flows/${started.flowId}/complete`, {
      token,
      body: { input: { code: 'abc' }, name: 'Flowed' },
    });
    const outcome = done.json<{ status: string; account: Account }>();
    expect(outcome.status).to.equal('done');
    expect(outcome.account.name).to.equal('Flowed');
    expect(outcome.account.credentialFields).to.include('token');
    expect(done.text()).to.not.contain('tok-abc');
    const again = await h.call('POST', `api/auth-flows/${started.flowId}/complete`, { token, body: { input: { code: 'abc' } } });
    expect(again.status).to.equal(404);
    expect((await h.call('POST', 'api/account-types/flowdemo-token/auth-flows/nope/start', { token })).status).to.equal(404);
  });

  it('manages groups with their member accounts', async () => {
    const bad = await h.call('PUT', 'api/groups/bad id', { token, body: { name: 'x' } });
    expect(bad.status).to.equal(400);
    const put = await h.call('PUT', 'api/groups/team-a', { token, body: { name: 'Team A', description: 'first' } });
    expect(put.json()).to.deep.include({ id: 'team-a', name: 'Team A', accountIds: [] });
    await h.call('POST', 'api/accounts', {
      token,
      body: {
        type: 'echo-key',
        name: 'member',
        groups: ['team-a'],
        credentials: { apiKey: UPSTREAM_KEY, baseUrl: h.upstream.url },
      },
    });
    const groups = (await h.call('GET', 'api/groups', { token })).json<{ id: string; accountIds: string[] }[]>();
    expect(groups[0]!.accountIds).to.have.length(1);
    expect((await h.call('DELETE', 'api/groups/team-a', { token })).status).to.equal(200);
    expect((await h.call('DELETE', 'api/groups/team-a', { token })).status).to.equal(404);
  });
});
