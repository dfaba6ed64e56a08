/**
 * A suite for an account type's `imports` declaration: the reference relay service's (crs)
 * fixture (core/test/fixtures/crs, made with the reference's own encryption) loaded into a real
 * redis-server, imported into a test gateway with the given plugins; each named reference
 * record must become an enabled account of its type (decrypted and valid for the type's
 * schema), the type must claim its record prefixes, and a second import must change nothing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestGateway, type TestGatewayOptions } from './create-test-gateway.js';
import { countActions } from '../migration/crs/crs-import-report.js';
import { importCrsIntoGateway } from './import-crs-into-gateway.js';
import { loadRedisDump, type RedisDumpEntry } from './load-redis-dump.js';
import { startRedisForTests } from './redis-server.js';
import { resolveTestFunctions, type TestFunctions } from './test-functions.js';

/** One reference record the import must turn into an account. */
export interface ExpectedCrsAccount {
  /** The fixture's name for the record (a key of the fixture's `meta.ids`). */
  source: string;
  /** The account type it must become. */
  type: string;
  /** Settings the account must have (a subset). */
  settings?: Record<string, unknown>;
}

/** What {@link describeCrsImport} checks. */
export interface DescribeCrsImportOptions {
  /** The suite's title. */
  name: string;
  /** The plugins the gateway loads (the one under test and those it builds on). */
  plugins: TestGatewayOptions['plugins'];
  /** The records that must become accounts. */
  accounts: ExpectedCrsAccount[];
  /** The reference's record patterns the plugins must claim (`acme_account:*`). */
  claimedPrefixes: string[];
  /**
   * The Redis database the fixture is loaded into: the tests' redis-server is shared and
   * the reference's keys have no prefix, so each suite takes a database of its own.
   */
  redisDb: number;
  /** The fixture file; default the core's (core/test/fixtures/crs/crs-fixture.json). */
  fixtureFile?: string;
  /** The test runner's functions; default the globals mocha installs. */
  testFunctions?: Partial<TestFunctions>;
}

interface CrsFixture {
  meta: { encryptionKey: string; now: string; ids: Record<string, string> };
  redis: RedisDumpEntry[];
}

const DEFAULT_FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/crs/crs-fixture.json');

/**
 * Registers the suite.
 *
 * @example
 * describeCrsImport({
 *   name: 'import crs with the acme plugin',
 *   plugins: [acmePlugin],
 *   accounts: [{ source: 'acme', type: 'acme-api' }],
 *   claimedPrefixes: ['acme_account:*'],
 *   redisDb: 8,
 * });
 */
export function describeCrsImport(options: DescribeCrsImportOptions): void {
  const { describe, it } = resolveTestFunctions(options.testFunctions);
  const fixture = JSON.parse(readFileSync(options.fixtureFile ?? DEFAULT_FIXTURE, 'utf8')) as CrsFixture;

  describe(options.name, function () {
    this.timeout?.(30_000);
    it('creates the accounts, then a second run changes nothing', async () => {
      const redis = await startRedisForTests();
      const tg = await createTestGateway({ plugins: options.plugins, keys: [] });
      try {
        const url = new URL(redis.url);
        url.pathname = `/${options.redisDb}`;
        await loadRedisDump(url.toString(), fixture.redis);
        const importOptions = {
          redisUrl: url.toString(),
          encryptionKey: fixture.meta.encryptionKey,
          now: () => Date.parse(fixture.meta.now),
        };
        const report = await importCrsIntoGateway(tg.gateway, importOptions);
        for (const expected of options.accounts) {
          const id = fixture.meta.ids[expected.source];
          assert.ok(id, `the fixture has no record named ${expected.source}`);
          const row = report.rows.find((r) => r.section === 'account' && r.source === id);
          assert.ok(row, `no report row for ${expected.source}: ${JSON.stringify(report.rows)}`);
          assert.equal(row.action, 'create', `${expected.source}: ${JSON.stringify(row)}`);
          assert.equal(row.target, `crs_${id}`);
          const account = await tg.gateway.store.accounts.get(`crs_${id}`);
          assert.ok(account, `account crs_${id} was not stored`);
          assert.equal(account.type, expected.type);
          assert.equal(account.enabled, true);
          for (const [field, value] of Object.entries(expected.settings ?? {}))
            assert.deepEqual(account.settings[field], value, `${expected.source}: settings.${field}`);
        }
        const unclaimed = report.rows.filter((r) => r.section === 'account' && r.source.endsWith('*')).map((r) => r.source);
        for (const prefix of options.claimedPrefixes) assert.ok(!unclaimed.includes(prefix), `${prefix} is not claimed`);
        const again = countActions(await importCrsIntoGateway(tg.gateway, importOptions));
        assert.equal(again.create, 0, 'a second import created records');
        assert.equal(again.change, 0, 'a second import changed records');
      } finally {
        await tg.close();
        await redis.stop();
      }
    });
  });
}
