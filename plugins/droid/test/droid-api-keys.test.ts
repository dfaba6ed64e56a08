/**
 * A droid account with several Factory API keys: each conversation keeps one key; a key
 * Factory rejects (401) is marked and skipped, and the request goes on with the next key
 * without the client noticing; when every key fails, the client gets the 401 and the
 * account cools down. The marks live in the plugin's key-value store, so a second
 * gateway instance sharing the redis store skips the key too.
 */
import { expect } from 'chai';
import {
  ManualClock,
  createTestGateway,
  sendRequest,
  waitFor,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import claudePlugin from '@switchyard/plugin-claude';
import openaiPlugin from '@switchyard/plugin-openai';
import droidPlugin from '../src/index.js';
import { fingerprintOf } from '../src/droid-key-pool.js';
import { factoryHandler, startFakeFactory } from './fake-factory.js';

const REVOKED = 'fk-revoked-key-0000-aaaa';
const GOOD_A = 'fk-good-key-1111-bbbb';
const GOOD_B = 'fk-good-key-2222-cccc';
const plugins = [claudePlugin, openaiPlugin, droidPlugin];

describe('droid API keys', function () {
  this.timeout(30_000);
  let fake: FakeUpstream;
  const gateways: TestGateway[] = [];

  beforeEach(async () => {
    fake = await startFakeFactory({ accept: [GOOD_A, GOOD_B] });
  });
  afterEach(async () => {
    // The first gateway owns the redis namespace: close it last.
    for (const tg of gateways.splice(0).reverse()) await tg.close();
    await fake.close();
  });

  const droidAccount = (apiKeys: string[]) => ({ type: 'droid', name: 'factory', credentials: { apiKeys, baseUrl: fake.url } });
  const body = { model: 'claude-sonnet-4-5', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] };
  const send = (tg: TestGateway, session?: string, key = tg.key) =>
    sendRequest(`${tg.url}/droid/claude/v1/messages`, {
      headers: {
        'x-api-key': key,
        'anthropic-version': '2023-06-01',
        ...(session ? { 'x-claude-code-session-id': session } : {}),
      },
      body,
    });
  const keysSeen = () => fake.requests.map((request) => request.headers.authorization?.replace('Bearer ', ''));

  it('skips a key that fails authentication, moves the session to another key and keeps every session on its key', async () => {
    const tg = await createTestGateway({ plugins, accounts: [droidAccount([REVOKED, GOOD_A, GOOD_B])] });
    gateways.push(tg);

    // Session A is given the first key in turn, the revoked one: Factory says 401, the same request goes on with the next.
    const first = await send(tg, 'session-a');
    expect(first.status, first.text()).to.equal(200);
    expect(keysSeen()).to.deep.equal([REVOKED, GOOD_A]);
    // Session B takes the next working key in turn; a request without a session moves the turn on.
    expect((await send(tg, 'session-b')).status).to.equal(200);
    expect((await send(tg)).status).to.equal(200);
    // Both sessions keep their keys; the revoked key is never tried again.
    for (const session of ['session-a', 'session-b', 'session-a', 'session-b'])
      expect((await send(tg, session)).status).to.equal(200);
    expect(keysSeen().slice(2)).to.deep.equal([GOOD_B, GOOD_A, GOOD_A, GOOD_B, GOOD_A, GOOD_B]);

    const records = await tg.usageRecords({ count: 7 });
    expect(records.every((record) => record.status === 200)).to.equal(true);
    const warning = tg.logs.find((line) => String(line.msg ?? line.message).includes('droid API key failed authentication'));
    expect(warning, 'the skipped key is logged by its fingerprint').to.include({ key: fingerprintOf(REVOKED) });
    expect(JSON.stringify(tg.logs)).not.to.include(REVOKED);
  });

  it('answers 401 and cools the account down when every key fails; after the cooldown the keys are tried again', async () => {
    const clock = new ManualClock();
    const tg = await createTestGateway({ plugins, clock, accounts: [droidAccount([REVOKED])] });
    gateways.push(tg);
    const res = await send(tg, 'session-a');
    expect(res.status).to.equal(401);
    // No account left: the client gets Factory's own answer.
    expect(res.json()).to.deep.equal({ detail: 'Invalid API key', status: 401 });
    expect(keysSeen()).to.deep.equal([REVOKED]);
    const state = async () => (await tg.gateway.store.accountState.getMany([tg.accountIds[0]!])).get(tg.accountIds[0]!);
    await waitFor(async () => ((await state())?.cooldownKind === 'auth_failed' ? true : undefined));
    const second = await send(tg, 'session-a');
    expect(second.status).to.equal(503);
    expect(keysSeen(), 'the cooling account is not called again').to.deep.equal([REVOKED]);
    // The key is fixed upstream; once the account's cooldown (auth_failed: 30 minutes) is over, the marked key is tried again.
    fake.setHandler(factoryHandler({ accept: [REVOKED] }));
    await clock.advance(30 * 60_000 + 1);
    const third = await send(tg, 'session-a');
    expect(third.status, third.text()).to.equal(200);
    expect(keysSeen()).to.deep.equal([REVOKED, REVOKED]);
  });

  it('shares the marks between gateway instances on one redis store', async () => {
    const config = { security: { encryptionKey: 'droid-shared-instances-encryption-key-0123' } };
    const one = await createTestGateway({
      plugins,
      store: 'redis',
      config,
      keys: [{ name: 'shared', plaintext: 'sy_droid_shared_instance_key_0123456789' }],
      accounts: [droidAccount([REVOKED, GOOD_A])],
    });
    gateways.push(one);
    const two = await createTestGateway({ plugins, config: { ...config, store: one.gateway.config.store }, keys: [] });
    gateways.push(two);

    expect((await send(one, 'session-a', one.key)).status).to.equal(200);
    expect(keysSeen()).to.deep.equal([REVOKED, GOOD_A]);
    // The second instance starts its own turn at the first key, but the shared mark says to skip it.
    expect((await send(two, 'session-b', one.key)).status).to.equal(200);
    expect(keysSeen().slice(2)).to.deep.equal([GOOD_A]);
  });
});
