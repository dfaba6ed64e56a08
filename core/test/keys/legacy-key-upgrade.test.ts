/**
 * Keys imported under another gateway's hash scheme (sha256(key + pepper)): verified
 * once under it, upgraded to the HMAC in the store on first use, on both stores and
 * across instances sharing one; keys without a legacy prefix never pay the extra lookup.
 */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { createStore } from '../../src/store/create-store.js';
import type { KeyRecord, Store } from '../../src/store/types.js';
import { deriveSecrets, type GatewaySecrets } from '../../src/security/secrets.js';
import { KeyService } from '../../src/keys/key-service.js';
import { LEGACY_HASH_MARK, LegacyKeyHashes, legacyKeyHash, saveLegacyKeyScheme } from '../../src/keys/legacy-key-hashes.js';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';

const PEPPER = 'the-reference-encryption-key-0123456789';
const OLD_KEY = `cr_${'5a'.repeat(32)}`;

function legacyRecord(id: string, plaintext: string): KeyRecord {
  const at = new Date().toISOString();
  return {
    id,
    name: id,
    tags: [],
    hash:
      LEGACY_HASH_MARK +
      createHash('sha256')
        .update(plaintext + PEPPER)
        .digest('hex'),
    hint: 'cr_… (imported)',
    enabled: true,
    limits: {},
    source: 'cli',
    createdAt: at,
    updatedAt: at,
  };
}

/** Counts hash lookups, to show which presented keys pay the legacy one. */
function counting(store: Store): { store: Pick<Store, 'keys'>; lookups: string[] } {
  const lookups: string[] = [];
  const keys = Object.create(store.keys) as Store['keys'];
  keys.findByHash = (hash) => {
    lookups.push(hash);
    return store.keys.findByHash(hash);
  };
  return { store: { keys }, lookups };
}

for (const kind of ['embedded', 'redis'] as const) {
  describe(`legacy key hashes (${kind} store)`, function () {
    this.timeout(20_000);
    let redis: TestRedis | undefined;
    let stores: Store[];
    let secrets: GatewaySecrets;
    let testNumber = 0;

    const open = async (): Promise<Store> => {
      const store =
        kind === 'embedded'
          ? await createStore({ type: 'embedded', path: ':memory:' })
          : await createStore({ type: 'redis', url: redis!.url, prefix: `${redis!.prefix}${testNumber}:` });
      stores.push(store);
      return store;
    };
    const service = (store: Pick<Store, 'keys'>, settings: Store['settings']) =>
      new KeyService({
        store,
        secrets,
        keyPrefix: 'sy_',
        cacheTtlMs: 0,
        legacy: new LegacyKeyHashes({ settings, cipherKey: secrets.cipherKey, now: Date.now }),
      });

    before(async () => {
      if (kind === 'redis') redis = await startRedisForTests();
      secrets = await deriveSecrets('k'.repeat(40));
    });
    beforeEach(() => {
      stores = [];
      testNumber++;
    });
    afterEach(async () => {
      for (const store of stores) await store.close();
    });
    after(async () => {
      await redis?.stop();
    });

    it('verifies an imported key under the legacy scheme and stores its HMAC instead', async () => {
      const store = await open();
      await saveLegacyKeyScheme(store.settings, secrets.cipherKey, { prefixes: ['cr_'], pepper: PEPPER });
      await store.keys.create(legacyRecord('key_old', OLD_KEY));
      const keys = service(store, store.settings);
      const found = await keys.authenticate(OLD_KEY);
      expect(found?.id).to.equal('key_old');
      const stored = (await store.keys.get('key_old'))!;
      expect(stored.hash).to.equal(keys.hash(OLD_KEY));
      expect(stored.hint).to.equal('cr_5a5a…5a5a');
      expect(await store.keys.findByHash(legacyKeyHash(PEPPER, OLD_KEY))).to.equal(undefined);
      expect((await keys.authenticate(OLD_KEY))?.id).to.equal('key_old');
      // A wrong key with the legacy prefix, and the right key under another pepper, find nothing.
      expect(await keys.authenticate(`cr_${'5b'.repeat(32)}`)).to.equal(undefined);
    });

    it('an instance that missed the upgrade still finds the key (by HMAC, after its legacy lookup misses)', async () => {
      const shared = await open();
      await saveLegacyKeyScheme(shared.settings, secrets.cipherKey, { prefixes: ['cr_'], pepper: PEPPER });
      await shared.keys.create(legacyRecord('key_old', OLD_KEY));
      const a = service(shared, shared.settings);
      const other = kind === 'redis' ? await open() : shared;
      const b = counting(other);
      const serviceB = service(b.store, other.settings);
      // Instance B looks the HMAC up (miss), then A upgrades the key, then B tries the legacy hash.
      const originalFind = b.store.keys.findByHash.bind(b.store.keys);
      let upgradedMeanwhile = false;
      b.store.keys.findByHash = async (hash) => {
        const found = await originalFind(hash);
        if (!upgradedMeanwhile) {
          upgradedMeanwhile = true;
          await a.authenticate(OLD_KEY);
        }
        return found;
      };
      expect((await serviceB.authenticate(OLD_KEY))?.id).to.equal('key_old');
      expect(b.lookups).to.have.length(3);
    });

    it('keys without a legacy prefix cost one lookup, as before', async () => {
      const store = await open();
      await saveLegacyKeyScheme(store.settings, secrets.cipherKey, { prefixes: ['cr_'], pepper: PEPPER });
      const { store: counted, lookups } = counting(store);
      const keys = service(counted, store.settings);
      const { plaintext } = await keys.create({ name: 'new', source: 'cli' });
      lookups.length = 0;
      expect(await keys.authenticate(plaintext)).to.not.equal(undefined);
      expect(await keys.authenticate(`sy_${'00'.repeat(32)}`)).to.equal(undefined);
      expect(lookups).to.have.length(2);
    });

    it('saving the same scheme twice writes once', async () => {
      const store = await open();
      expect(await saveLegacyKeyScheme(store.settings, secrets.cipherKey, { prefixes: ['cr_'], pepper: PEPPER })).to.equal(true);
      expect(await saveLegacyKeyScheme(store.settings, secrets.cipherKey, { prefixes: ['cr_'], pepper: PEPPER })).to.equal(false);
      expect(await saveLegacyKeyScheme(store.settings, secrets.cipherKey, { prefixes: ['ak_'], pepper: PEPPER })).to.equal(true);
      const stored = await store.settings.get<{ prefixes: string[]; pepper: string }[]>('keys.legacyHashing');
      expect(stored).to.have.length(1);
      expect(stored![0]!.prefixes).to.deep.equal(['cr_', 'ak_']);
      expect(JSON.stringify(stored)).to.not.contain(PEPPER);
    });
  });
}
