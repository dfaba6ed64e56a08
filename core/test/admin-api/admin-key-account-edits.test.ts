/**
 * Editing keys and accounts through the admin API: a key's limits and binding changed with
 * PATCH are enforced on the next request; records the config file declares are refused
 * with 409 (a restart would undo the edit); an account's scheduling controls are set,
 * shown with their origin, and cleared back to the config's defaults.
 */
import { expect } from 'chai';
import { sendRequest, waitFor } from '@switchyard/core/testing';
import { startAdminHarness, UPSTREAM_KEY, type AdminHarness } from './admin-harness.js';

interface Key {
  id: string;
  name: string;
  source: string;
  enabled: boolean;
  limits: Record<string, unknown>;
}
interface Scheduling {
  dedicated?: boolean;
  weight?: number;
  pacing?: { minGapMs: number; timeoutMs: number };
  cooldownMs?: Record<string, number>;
  fromConfig: string[];
}
interface Account {
  id: string;
  name: string;
  source: string;
  scheduling: Scheduling;
}
type ErrorBody = { error: { type: string; message: string; problems?: string[] } };

const DECLARED_KEY = 'sy_declared-in-the-config-file-0001';

describe('admin API: editing keys and accounts', () => {
  let h: AdminHarness;
  let token: string;
  beforeEach(async () => {
    h = await startAdminHarness({
      accounts: [
        {
          id: 'declared',
          type: 'echo-key',
          name: 'Declared',
          credentials: { apiKey: UPSTREAM_KEY, baseUrl: 'http://127.0.0.1:9' },
        },
      ],
      keys: [{ name: 'declared-key', key: DECLARED_KEY }],
      scheduling: { accounts: { declared: { weight: 3, dedicated: true } } },
    });
    token = await h.login();
    for (const name of ['First', 'Second']) {
      const res = await h.call('POST', 'api/accounts', {
        token,
        body: { id: name.toLowerCase(), type: 'echo-key', name, credentials: { apiKey: UPSTREAM_KEY, baseUrl: h.upstream.url } },
      });
      expect(res.status, res.text()).to.equal(201);
    }
  });
  afterEach(async () => h.close());

  const echo = (key: string, model = 'echo-1') =>
    sendRequest(`${h.tg.url}/echo/v1/echo`, { headers: { authorization: `Bearer ${key}` }, body: { model, input: 'one two' } });
  const lastAccount = async (count: number) => {
    await waitFor(async () => (await h.call('GET', 'api/requests', { token })).json<{ total: number }>().total === count, {
      timeoutMs: 5000,
    });
    return (await h.call('GET', 'api/requests?limit=1', { token })).json<{ items: { accountName?: string }[] }>().items[0]
      ?.accountName;
  };

  it('changes every limit of a key, and the next request is judged by the new ones', async () => {
    const { key, plaintext } = (await h.call('POST', 'api/keys', { token, body: { name: 'editable' } })).json<{
      key: Key;
      plaintext: string;
    }>();
    const patch = async (body: unknown) => {
      const res = await h.call('PATCH', `api/keys/${key.id}`, { token, body });
      expect(res.status, res.text()).to.equal(200);
      return res.json<Key>();
    };
    // Bound to the second account: served there though the first comes first otherwise.
    await patch({ limits: { binding: { account: 'second' } } });
    expect((await echo(plaintext)).status).to.equal(200);
    expect(await lastAccount(1)).to.equal('Second');
    await patch({ limits: { binding: { account: 'first' } } });
    expect((await echo(plaintext)).status).to.equal(200);
    expect(await lastAccount(2)).to.equal('First');
    // Model rules.
    await patch({ limits: { models: { allow: ['other-*'] } } });
    const refused = await echo(plaintext);
    expect(refused.status).to.equal(403);
    expect(refused.text()).to.contain('limited to: other-*');
    // Permissions by family and allowed clients.
    const options = (await h.call('GET', 'api/key-options', { token })).json<{ families: string[]; clients: unknown[] }>();
    expect(options.families).to.include('echo');
    await patch({ limits: { permissions: ['no-such-family'] } });
    expect((await echo(plaintext)).status).to.equal(403);
    await patch({ limits: { permissions: options.families } });
    expect((await echo(plaintext)).status).to.equal(200);
    // Every other field round-trips as sent.
    const limits = {
      concurrency: 2,
      queue: { size: 3, timeoutMs: 1000 },
      windows: [
        { period: '1h', requests: 100 },
        { period: '1d', tokens: 5000, costUsd: 2 },
      ],
      costUsd: {
        daily: 1,
        weekly: 5,
        total: 20,
        weeklyReset: { day: 3, hour: 8 },
        resetUtcOffsetMinutes: 480,
        weeklyByModel: [{ name: 'big', models: ['big-*'], usd: 2 }],
      },
      models: { deny: ['secret-*'] },
      clients: ['some-cli'],
      expiresAfterFirstUse: '30d',
      binding: { group: 'nowhere', fallback: true },
      modelAliases: { 'alias-*': 'echo-1' },
      costMultiplier: 1.5,
    };
    const changed = await patch({ name: 'edited', owner: 'ops', tags: ['a', 'b'], description: 'd', limits });
    expect(changed).to.deep.include({ name: 'edited', owner: 'ops', tags: ['a', 'b'], description: 'd', source: 'admin' });
    expect(changed.limits).to.deep.equal(limits);
    // null clears the optional fields; an empty limits object lifts every limit.
    const cleared = await patch({ owner: null, description: null, limits: {} });
    expect(cleared).to.not.have.property('owner');
    expect(cleared.limits).to.deep.equal({});
    expect((await echo(plaintext)).status).to.equal(200);
    // Field problems name their path, for the form to show next to the field.
    const bad = await h.call('PATCH', `api/keys/${key.id}`, {
      token,
      body: { limits: { windows: [{ period: 'soon', requests: 1 }], costMultiplier: 0 } },
    });
    expect(bad.status).to.equal(400);
    const problems = bad.json<ErrorBody>().error.problems ?? [];
    expect(problems.some((p) => p.startsWith('limits.windows.0.period:'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('limits.costMultiplier:'))).to.equal(true);
  });

  it('refuses to change a key or an account the config file declares, and says why', async () => {
    const declared = (await h.call('GET', 'api/keys', { token })).json<Key[]>().find((key) => key.name === 'declared-key')!;
    expect(declared.source).to.equal('config');
    for (const [method, path, body] of [
      ['PATCH', `api/keys/${declared.id}`, { limits: { concurrency: 1 } }],
      ['POST', `api/keys/${declared.id}/disable`, undefined],
      ['POST', `api/keys/${declared.id}/regenerate`, undefined],
      ['DELETE', `api/keys/${declared.id}`, undefined],
      ['PATCH', 'api/accounts/declared', { name: 'Renamed' }],
      ['DELETE', 'api/accounts/declared', undefined],
    ] as const) {
      const res = await h.call(method, path, { token, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).to.equal(409);
      expect(res.json<ErrorBody>().error.message).to.contain('declared in the config file');
    }
    expect((await echo(DECLARED_KEY)).status).to.equal(200);
    // Run-time controls still work on it.
    expect((await h.call('POST', 'api/accounts/declared/pause', { token })).status).to.equal(200);
    expect((await h.call('POST', 'api/accounts/declared/resume', { token })).status).to.equal(200);
    const account = (await h.call('GET', 'api/accounts/declared', { token })).json<Account>();
    expect(account).to.deep.include({ name: 'Declared', source: 'config' });
  });

  it("sets an account's scheduling controls over the config's defaults, and clears them back", async () => {
    const declared = (await h.call('GET', 'api/accounts/declared', { token })).json<Account>();
    expect(declared.scheduling).to.deep.equal({ weight: 3, dedicated: true, fromConfig: ['dedicated', 'weight'] });
    const put = async (id: string, body: unknown) => {
      const res = await h.call('PUT', `api/accounts/${id}/scheduling`, { token, body });
      expect(res.status, res.text()).to.equal(200);
      return res.json<Scheduling>();
    };
    expect(await put('declared', { weight: 5, pacing: { minGapMs: 1000, timeoutMs: 5000 } })).to.deep.equal({
      dedicated: true,
      weight: 5,
      pacing: { minGapMs: 1000, timeoutMs: 5000 },
      fromConfig: ['dedicated'],
    });
    expect(await put('declared', { weight: null, pacing: null })).to.deep.equal({
      weight: 3,
      dedicated: true,
      fromConfig: ['dedicated', 'weight'],
    });
    const bad = await h.call('PUT', 'api/accounts/first/scheduling', { token, body: { weight: -1, pacing: { minGapMs: 'x' } } });
    expect(bad.status).to.equal(400);
    const problems = bad.json<ErrorBody>().error.problems ?? [];
    expect(problems.some((p) => p.startsWith('weight:'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('pacing.minGapMs:'))).to.equal(true);
    expect((await h.call('PUT', 'api/accounts/nope/scheduling', { token, body: {} })).status).to.equal(404);
    // Dedicated: a key bound to nothing no longer reaches the first account, only the second.
    const { plaintext } = (await h.call('POST', 'api/keys', { token, body: { name: 'pool' } })).json<{ plaintext: string }>();
    await put('first', { dedicated: true, cooldownMs: { rate_limited: 5000 } });
    const first = (await h.call('GET', 'api/accounts/first', { token })).json<Account>();
    expect(first.scheduling).to.deep.include({ dedicated: true, cooldownMs: { rate_limited: 5000 }, fromConfig: [] });
    // Least recently used would alternate; dedicated keeps every request on the second.
    for (let count = 1; count <= 3; count += 1) {
      expect((await echo(plaintext)).status).to.equal(200);
      expect(await lastAccount(count)).to.equal('Second');
    }
  });
});
