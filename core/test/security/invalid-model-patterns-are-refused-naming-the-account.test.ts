/**
 * One model pattern syntax for every account type (issue 15): exact ids and `*` globs,
 * checked by the core. A pattern outside it (a regex, brackets, spaces) is a validation
 * error naming the account and the pattern, from the config file and from the admin
 * alike; valid patterns, `*` included, are accepted.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createEmbeddedStore } from '../../src/store/embedded/create-embedded-store.js';
import type { Store } from '../../src/store/types.js';
import { configSchema, type GatewayConfigInput } from '../../src/config/schema.js';
import { ConfigError } from '../../src/config/config-error.js';
import { deployDeclared } from '../../src/config/deploy-declared.js';
import { AccountService } from '../../src/accounts/account-service.js';
import { AccountInputError } from '../../src/accounts/account-input-error.js';
import { KeyService } from '../../src/keys/key-service.js';
import { captureLogger } from '../auth/capture-logger.js';
import { testRegistry } from '../accounts/test-registry.js';

describe('invalid model patterns are refused, naming the account', () => {
  let store: Store;
  let keys: KeyService;
  let accounts: AccountService;
  const secrets = { cipherKey: randomBytes(32), keyHashKey: randomBytes(32) };
  const captured = captureLogger();
  const deploy = (input: GatewayConfigInput) =>
    deployDeclared({ config: configSchema.parse(input), keys, accounts, store, log: captured.log });

  beforeEach(async () => {
    store = await createEmbeddedStore({ path: ':memory:' });
    keys = new KeyService({ store, secrets, keyPrefix: 'sy_' });
    accounts = new AccountService({ store, secrets, registry: testRegistry(), log: captured.log });
  });
  afterEach(async () => {
    await store.close();
  });

  it('refuses a config whose account lists a regex or bracket pattern, naming the account and the pattern', async () => {
    const error = await deploy({
      accounts: [
        {
          id: 'team-claude',
          type: 'test-key',
          name: 'Team',
          credentials: { apiKey: 'sk-declared-secret-1' },
          settings: { models: ['claude-sonnet-*', 'claude-.*', 'claude-[0-9]'] },
        },
      ],
    }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).to.include(
      'accounts[0].settings.models[1]: account "team-claude": "claude-.*" looks like a regular expression',
    );
    expect(problems).to.include('accounts[0].settings.models[2]: account "team-claude": "claude-[0-9]" is not a model pattern');
    expect(problems).not.to.include('models[0]');
    expect(await store.accounts.list()).to.have.length(0);
  });

  it('refuses the same pattern from the admin, on create and on update', async () => {
    const bad = await accounts
      .create({
        type: 'test-key',
        name: 'Admin',
        credentials: { apiKey: 'sk-admin-secret-01' },
        settings: { models: ['gpt 4'] },
        source: 'admin',
      })
      .catch((caught: unknown) => caught);
    expect(bad).to.be.instanceOf(AccountInputError);
    expect((bad as AccountInputError).problems.join('\n')).to.include('settings.models[0]: "gpt 4" is not a model pattern');
    const created = await accounts.create({
      type: 'test-key',
      name: 'Admin',
      credentials: { apiKey: 'sk-admin-secret-01' },
      source: 'admin',
    });
    const update = await accounts.update(created.id, { settings: { models: ['(gpt|o3)'] } }).catch((caught: unknown) => caught);
    expect(update).to.be.instanceOf(AccountInputError);
    expect((update as AccountInputError).problems.join('\n')).to.include('settings.models[0]: "(gpt|o3)" is not a model pattern');
  });

  it('accepts exact ids, * globs and * alone', async () => {
    const models = ['claude-sonnet-4-6', 'claude-*', 'anthropic/claude-sonnet-4.5', 'claude-3-5-sonnet@20240620', '*'];
    const counts = await deploy({
      accounts: [
        { id: 'wide', type: 'test-key', name: 'Wide', credentials: { apiKey: 'sk-declared-secret-2' }, settings: { models } },
      ],
    });
    expect(counts.accounts.created).to.equal(1);
    expect((await store.accounts.get('wide'))?.settings.models).to.deep.equal(models);
  });
});
