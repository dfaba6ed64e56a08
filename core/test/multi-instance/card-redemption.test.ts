/**
 * Done-when of issue 19's quota cards: one card redeemed in parallel from two gateway
 * processes sharing one Redis raises the key's cap exactly once.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { expect } from 'chai';
import { sendRequest } from '@switchyard/core/testing';
import { createStore } from '../../src/store/create-store.js';
import type { Store } from '../../src/store/types.js';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';
import { startGatewayChild } from '../fixtures/start-gateway-child.js';
import { deriveSecrets } from '../../src/security/secrets.js';
import { KeyService } from '../../src/keys/key-service.js';
import { CardService } from '../../src/cards/card-service.js';
import { cardsConfigSchema } from '../../src/cards/cards-config.js';
import { systemClock } from '../../src/time/clock.js';
import { createLogger } from '../../src/logging/create-logger.js';

const ENCRYPTION_KEY = 'card-multi-instance-encryption-key-0123';
const CARDS = 12;
const PER_INSTANCE = 3;

describe('quota cards on two gateway processes sharing one redis', function () {
  this.timeout(90_000);
  let redis: TestRedis;
  let store: Store;
  let one: { child: ChildProcess; url: string };
  let two: { child: ChildProcess; url: string };

  before(async () => {
    redis = await startRedisForTests();
    const config = {
      store: { type: 'redis', url: redis.url, prefix: redis.prefix },
      security: { encryptionKey: ENCRYPTION_KEY },
      logging: { level: 'error' },
      // Every losing attempt counts as a failure; this test is about atomicity, not throttling.
      cards: { maxFailuresPerKey: 1000, maxFailuresPerIp: 1000 },
    };
    [one, two] = [await startGatewayChild(config), await startGatewayChild(config)];
    store = await createStore({ type: 'redis', url: redis.url, prefix: redis.prefix });
  });
  after(async () => {
    for (const instance of [one, two]) {
      if (instance?.child.exitCode === null) {
        instance.child.kill('SIGTERM');
        await once(instance.child, 'exit');
      }
    }
    await store?.close();
    await redis?.stop();
  });

  it('raises the cap exactly once per card, however many requests race on both instances', async () => {
    const secrets = await deriveSecrets(ENCRYPTION_KEY);
    const log = createLogger({ level: 'error' });
    const keys = new KeyService({ store, secrets, keyPrefix: 'sy_' });
    const cards = new CardService({ store, secrets, config: cardsConfigSchema.parse({}), clock: systemClock, log });
    const { record, plaintext } = await keys.create({ name: 'holder', source: 'admin', limits: { costUsd: { total: 10 } } });
    const { batch, codes } = await cards.createBatch({ creditUsd: 5, count: CARDS }, 'test');

    for (const code of codes) {
      const attempts = [...Array(PER_INSTANCE).fill(one.url), ...Array(PER_INSTANCE).fill(two.url)].map((base: string) =>
        sendRequest(`${base}/api/v1/redeem`, { headers: { 'x-api-key': plaintext }, body: { code } }),
      );
      const statuses = (await Promise.all(attempts)).map((res) => res.status);
      expect(
        statuses.filter((status) => status === 200),
        `card ${code.slice(-4)}: ${statuses.join(',')}`,
      ).to.have.length(1);
      expect(statuses.filter((status) => status === 400)).to.have.length(2 * PER_INSTANCE - 1);
    }

    const key = await store.keys.get(record.id);
    expect(key?.limits).to.deep.equal({ costUsd: { total: 10 + 5 * CARDS } });
    const redemptions = await store.cards.listRedemptions({ keyId: record.id });
    expect(redemptions).to.have.length(CARDS);
    expect(new Set(redemptions.map((r) => r.cardId)).size).to.equal(CARDS);
    expect((await cards.getBatch(batch.id))!.cards.every((card) => card.status === 'redeemed')).to.equal(true);
  });
});
