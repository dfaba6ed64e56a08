import { expect } from 'chai';
import { createGateway } from '@switchyard/core';
import { createTestGateway, ManualClock, sendRequest, type TestGateway } from '@switchyard/core/testing';
import { keyLimitsSchema } from '../../src/limits/key-limits-schema.js';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { clientsPlugin } from './fixtures/clients-plugin.js';
import { startCountingUpstream, type CountingUpstream } from './fixtures/counting-upstream.js';

const EXAMPLE = {
  concurrency: 4,
  queue: { size: 20, timeoutMs: 30000 },
  windows: [{ period: '5h', requests: 500, tokens: 2000000, costUsd: 20 }],
  costUsd: { daily: 10, weekly: 50, total: 500 },
  models: { deny: ['claude-opus-*'] },
  clients: ['claude-code'],
  expiresAt: '2027-01-01T00:00:00Z',
};

type ErrorBody = { error: { code: string; message: string } };

describe('key limits: schema', () => {
  it('accepts the documented example unchanged', () => {
    expect(keyLimitsSchema.parse(EXAMPLE)).to.deep.equal(EXAMPLE);
  });

  it('refuses a config whose declared keys have invalid limits, listing every problem', async () => {
    const config = {
      store: { type: 'embedded' as const, path: ':memory:' },
      security: { encryptionKey: 'limits-test-encryption-key-0123456789' },
      keys: [
        {
          name: 'a',
          key: 'sy_limits-test-key-a-0123456789',
          limits: { concurrency: -1, windows: [{ period: '5 hours', requests: 5 }] },
        },
        { name: 'b', key: 'sy_limits-test-key-b-0123456789', limits: { rpm: 5, costUsd: { daily: 'ten' } } },
      ],
    };
    let message = '';
    try {
      await createGateway({ config: config as never, plugins: [tickPlugin], logSink: () => {}, print: () => {} });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.contain('keys[0].limits.concurrency');
    expect(message).to.contain('keys[0].limits.windows[0].period');
    expect(message).to.contain('keys[1].limits');
    expect(message).to.contain('rpm');
    expect(message).to.contain('keys[1].limits.costUsd.daily');
  });
});

for (const store of ['embedded', 'redis'] as const) {
  describe(`key limits: access rules through HTTP (${store} store)`, function () {
    this.timeout(30_000);
    let upstream: CountingUpstream;
    let tg: TestGateway;
    const clock = new ManualClock();

    before(async () => {
      upstream = await startCountingUpstream();
      tg = await createTestGateway({
        store,
        clock,
        plugins: [tickPlugin, clientsPlugin],
        accounts: [{ type: 'tick-upstream', name: 'one', credentials: { token: 'tick-token-one', baseUrl: upstream.url } }],
        keys: [
          { name: 'open' },
          { name: 'expired', limits: { expiresAt: '2020-01-01T00:00:00Z' } },
          { name: 'activation', limits: { expiresAfterFirstUse: '1s' } },
          { name: 'other-family', limits: { permissions: ['some-other-family'] } },
          { name: 'tick-family', limits: { permissions: ['tick'] } },
          { name: 'deny', limits: { models: { deny: ['tick-big-*'] } } },
          { name: 'allow', limits: { models: { allow: ['tick-1', 'tick-small-*'] } } },
          { name: 'clients', limits: { clients: ['tick-cli', 'tock-cli'] } },
          { name: 'unknown-client', limits: { clients: ['nobody-cli'] } },
          { name: 'invalid' },
        ],
      });
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });

    const send = (key: string, body: Record<string, unknown> = { model: 'tick-1' }, headers: Record<string, string> = {}) =>
      sendRequest(`${tg.url}/tick/v1/ticks`, { headers: { 'x-api-key': tg.keys[key]!, ...headers }, body });
    const code = (res: { json<T>(): T }) => res.json<ErrorBody>().error.code;

    it('serves a key without limits', async () => {
      expect((await send('open')).status).to.equal(200);
    });

    it('refuses a key past its fixed expiry with 403 key_expired', async () => {
      const res = await send('expired');
      expect(res.status).to.equal(403);
      expect(code(res)).to.equal('key_expired');
      expect(res.json<ErrorBody>().error.message).to.contain('2020-01-01T00:00:00Z');
    });

    it('starts an activation-based expiry at first use and refuses after it', async () => {
      expect((await send('activation')).status).to.equal(200);
      await clock.advance(999);
      expect((await send('activation')).status).to.equal(200, 'still within the second after the first use');
      await clock.advance(1);
      const res = await send('activation');
      expect(res.status).to.equal(403);
      expect(code(res)).to.equal('key_expired');
      expect(res.json<ErrorBody>().error.message).to.contain('after its first use');
    });

    it('permits protocol families: 403 permission_denied outside them', async () => {
      const refused = await send('other-family');
      expect(refused.status).to.equal(403);
      expect(code(refused)).to.equal('permission_denied');
      expect(refused.json<ErrorBody>().error.message).to.contain('tick');
      expect((await send('tick-family')).status).to.equal(200);
    });

    it('applies model deny and allow rules with patterns: 403 model_not_allowed', async () => {
      const denied = await send('deny', { model: 'tick-big-2' });
      expect(denied.status).to.equal(403);
      expect(code(denied)).to.equal('model_not_allowed');
      expect((await send('deny', { model: 'tick-1' })).status).to.equal(200);
      expect((await send('allow', { model: 'tick-small-7' })).status).to.equal(200);
      const outside = await send('allow', { model: 'tick-2' });
      expect(outside.status).to.equal(403);
      expect(outside.json<ErrorBody>().error.message).to.contain('tick-small-*');
    });

    it('restricts clients through the detectors plugins register: 403 client_not_allowed', async () => {
      const anonymous = await send('clients');
      expect(anonymous.status).to.equal(403);
      expect(code(anonymous)).to.equal('client_not_allowed');
      expect(anonymous.json<ErrorBody>().error.message).to.contain('Tick CLI');
      expect((await send('clients', undefined, { 'user-agent': 'tick-cli/1.2.3 (linux)' })).status).to.equal(200);
      expect((await send('clients', undefined, { 'x-tock-client': 'tock-cli' })).status).to.equal(200);
      expect((await send('clients', undefined, { 'user-agent': 'curl/8.0' })).status).to.equal(403);
      expect((await send('unknown-client', undefined, { 'user-agent': 'tick-cli/1.2.3' })).status).to.equal(403);
    });

    it('refuses every request of a key whose stored limits are invalid', async () => {
      // The key service refuses invalid limits; stored ones can still be invalid (written
      // by an older version, or by hand), so the relay must not serve them without limits.
      await tg.gateway.store.keys.update(tg.keyIds['invalid']!, { limits: { concurrency: 'many' } });
      const res = await send('invalid');
      expect(res.status).to.equal(403);
      expect(res.json<ErrorBody>().error.message).to.contain('invalid limits');
    });

    it('never reached upstream for a refused request', async () => {
      upstream.reset();
      await send('expired');
      await send('deny', { model: 'tick-big-1' });
      await send('clients');
      expect(upstream.inputs).to.have.length(0);
    });
  });
}
