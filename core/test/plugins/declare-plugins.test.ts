import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { PluginContext } from '@switchyard/plugin-api';
import { declarePlugins, PluginLoadError, type DeclarePluginsInput } from '../../src/plugins/index.js';
import { accountType, plugin, pluginModuleSource, protocol, translator, writeTree } from './fixtures.js';
import { rejectionOf } from '../support/rejection-of.js';

const failure = (promise: Promise<unknown>) => rejectionOf(promise, PluginLoadError);

function pluginPackage(name: string, id: string, extra: object = {}): Record<string, string | object> {
  return {
    [`node_modules/${name}/package.json`]: { name, version: '1.0.0', type: 'module', switchyard: { plugin: true }, ...extra },
    [`node_modules/${name}/index.js`]: pluginModuleSource(id),
  };
}

describe('declarePlugins', () => {
  let root: string;
  const input = (overrides: Partial<DeclarePluginsInput>): DeclarePluginsInput => ({
    entries: [],
    pluginOptions: {},
    rootDir: root,
    configDir: root,
    ...overrides,
  });

  beforeEach(async () => {
    root = await mkdtemp(join(os.tmpdir(), 'switchyard-plugins-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('discovers "auto" plugins among the root package.json dependencies', async () => {
    await writeTree(root, {
      'package.json': {
        name: 'host',
        dependencies: { 'switchyard-plugin-alpha': '1.0.0', 'not-a-plugin': '1.0.0', 'never-installed': '1.0.0' },
        optionalDependencies: { '@acme/switchyard-plugin-beta': '1.0.0' },
      },
      ...pluginPackage('switchyard-plugin-alpha', 'alpha'),
      'node_modules/not-a-plugin/package.json': { name: 'not-a-plugin', version: '1.0.0', type: 'module' },
      'node_modules/not-a-plugin/index.js': 'throw new Error("must not be imported");\n',
      'node_modules/@acme/switchyard-plugin-beta/package.json': {
        name: '@acme/switchyard-plugin-beta',
        type: 'module',
        switchyard: { plugin: true },
        exports: { '.': { types: './lib/main.d.ts', import: './lib/main.js' }, './package.json': './package.json' },
      },
      'node_modules/@acme/switchyard-plugin-beta/lib/main.js': pluginModuleSource('beta'),
    });
    const declared = await declarePlugins(input({ entries: 'auto', pluginOptions: { beta: { ignored: true } } }));
    expect(declared.plugins.map((loaded) => loaded.plugin.id)).to.deep.equal(['alpha', 'beta']);
    expect(declared.plugins.map((loaded) => loaded.source)).to.deep.equal([
      'switchyard-plugin-alpha',
      '@acme/switchyard-plugin-beta',
    ]);
    expect(declared.plugins[0]!.mounts).to.deep.equal(['/alpha']);
    expect(declared.plugins[1]!.options).to.deep.equal({ ignored: true });
    expect(Object.isFrozen(declared.plugins)).to.equal(true);
  });

  it('uses the switchyard-src export condition when the process runs with it', async () => {
    await writeTree(root, {
      'package.json': { name: 'host', dependencies: { 'dual-plugin': '1.0.0' } },
      'node_modules/dual-plugin/package.json': {
        name: 'dual-plugin',
        type: 'module',
        switchyard: { plugin: true },
        exports: { '.': { 'switchyard-src': './src.js', default: './dist.js' } },
      },
      'node_modules/dual-plugin/src.js': pluginModuleSource('from-src'),
      'node_modules/dual-plugin/dist.js': pluginModuleSource('from-dist'),
    });
    const declared = await declarePlugins(input({ entries: 'auto' }));
    const expected = process.execArgv.some((arg) => arg.includes('switchyard-src')) ? 'from-src' : 'from-dist';
    expect(declared.plugins[0]!.plugin.id).to.equal(expected);
  });

  it('loads path entries relative to the config folder, with options and mounts', async () => {
    const configDir = join(root, 'conf');
    await writeTree(root, {
      'conf/local/package.json': { name: 'local', type: 'module', main: 'main.js' },
      'conf/local/main.js': pluginModuleSource('local'),
      'conf/single.js': pluginModuleSource('single'),
      'node_modules/pkg-plugin/package.json': { name: 'pkg-plugin', type: 'module' },
      'node_modules/pkg-plugin/index.js': pluginModuleSource('pkg'),
    });
    const declared = await declarePlugins(
      input({
        configDir,
        entries: ['./local', { path: 'single.js', mounts: ['/', 'extra/'], options: { a: 1 } }, 'pkg-plugin'],
        pluginOptions: { local: { b: 2 } },
      }),
    );
    expect(declared.plugins.map((loaded) => loaded.plugin.id)).to.deep.equal(['local', 'single', 'pkg']);
    expect(declared.plugins[0]!.source).to.equal(join(configDir, 'local'));
    expect(declared.plugins[0]!.options).to.deep.equal({ b: 2 });
    expect(declared.plugins[1]!.source).to.equal(join(configDir, 'single.js'));
    expect(declared.plugins[1]!.options).to.deep.equal({ a: 1 });
    expect(declared.plugins[1]!.mounts).to.deep.equal(['', '/extra']);
    expect(declared.plugins[2]!.source).to.equal('pkg-plugin');
  });

  it('adds the discovered plugins where "auto" stands in a list, each loaded once', async () => {
    const configDir = join(root, 'conf');
    await writeTree(root, {
      'package.json': {
        name: 'host',
        dependencies: {
          'switchyard-plugin-alpha': '1.0.0',
          'switchyard-plugin-beta': '1.0.0',
          'switchyard-plugin-gamma': '1.0.0',
        },
      },
      ...pluginPackage('switchyard-plugin-alpha', 'alpha'),
      ...pluginPackage('switchyard-plugin-beta', 'beta'),
      ...pluginPackage('switchyard-plugin-gamma', 'gamma'),
      'my-plugin/package.json': { name: 'my-plugin', type: 'module', main: 'main.js' },
      'my-plugin/main.js': pluginModuleSource('mine'),
    });
    const declared = await declarePlugins(
      input({
        configDir,
        entries: [
          '../my-plugin',
          'auto',
          // Named by the list too: loaded once, with this entry's options and mounts ...
          { package: 'switchyard-plugin-beta', options: { from: 'entry' }, mounts: ['/b'] },
          // ... and a discovered package named by its path is not loaded a second time either.
          '../node_modules/switchyard-plugin-gamma',
        ],
      }),
    );
    expect(declared.plugins.map((loaded) => loaded.plugin.id)).to.deep.equal(['mine', 'alpha', 'beta', 'gamma']);
    expect(declared.plugins[0]!.source).to.equal(join(root, 'my-plugin'));
    expect(declared.plugins[1]!.source).to.equal('switchyard-plugin-alpha');
    expect(declared.plugins[2]!.options).to.deep.equal({ from: 'entry' });
    expect(declared.plugins[2]!.mounts).to.deep.equal(['/b']);
    expect(declared.plugins[3]!.source).to.equal(join(root, 'node_modules/switchyard-plugin-gamma'));
  });

  it('reports an unreadable root package.json for "auto" in a list, and still loads the other entries\' problems', async () => {
    await writeTree(root, { 'mine.js': pluginModuleSource('mine') });
    const error = await failure(declarePlugins(input({ entries: ['auto', './mine.js', './missing.js'] })));
    expect(error.problems.join('\n')).to.include(`plugins "auto": cannot read ${join(root, 'package.json')}`);
    expect(error.problems.join('\n')).to.include('plugins[2] ("./missing.js"): cannot load plugin');
    expect(error.problems).to.have.length(2);
  });

  it('validates options with the plugin schema, applying defaults', async () => {
    const options = z.object({ region: z.string().default('eu'), retries: z.number().int().default(2) });
    const declared = await declarePlugins(
      input({
        inline: [plugin('withopts', { options }), plugin('other', { options })],
        pluginOptions: { other: { region: 'us' } },
      }),
    );
    expect(declared.plugins[0]!.source).to.equal('inline');
    expect(declared.plugins[0]!.options).to.deep.equal({ region: 'eu', retries: 2 });
    expect(declared.plugins[1]!.options).to.deep.equal({ region: 'us', retries: 2 });
  });

  describe('a plugin with create', () => {
    const options = z.object({ region: z.string().default('eu') });
    const regional = (calls: unknown[]) =>
      plugin('regional', {
        options,
        accountTypes: undefined,
        create(context: PluginContext<{ region: string }>) {
          calls.push(context);
          return {
            accountTypes: [accountType(`regional-${context.options.region}`, ['regional-proto'])],
            knownModels: [`model-${context.options.region}`],
          };
        },
      });

    it('is instantiated once per load with its validated options, its parts joined to the declared ones', async () => {
      const calls: unknown[] = [];
      const definition = regional(calls);
      const eu = await declarePlugins(input({ inline: [definition] }));
      const us = await declarePlugins(input({ inline: [definition], pluginOptions: { regional: { region: 'us' } } }));
      expect(calls).to.deep.equal([
        { pluginId: 'regional', options: { region: 'eu' } },
        { pluginId: 'regional', options: { region: 'us' } },
      ]);
      expect(eu.plugins[0]!.plugin.accountTypes!.map((type) => type.id)).to.deep.equal(['regional-eu']);
      expect(us.plugins[0]!.plugin.accountTypes!.map((type) => type.id)).to.deep.equal(['regional-us']);
      expect(us.plugins[0]!.plugin.knownModels).to.deep.equal(['model-us']);
      expect(us.plugins[0]!.plugin.protocols!.map((entry) => entry.id)).to.deep.equal(['regional-proto']);
      expect(us.plugins[0]!.plugin).not.to.have.property('create');
      expect(definition.accountTypes, 'the definition is left as it was').to.equal(undefined);
    });

    it('is not called with invalid options', async () => {
      const calls: unknown[] = [];
      const error = await failure(
        declarePlugins(input({ inline: [regional(calls)], pluginOptions: { regional: { region: 7 } } })),
      );
      expect(calls).to.deep.equal([]);
      expect(error.problems).to.have.length(1);
      expect(error.problems[0]).to.match(/^plugin "regional": options\.region: /);
    });

    it('reports a create that throws, a part declared twice, and a create that is not a function', async () => {
      const error = await failure(
        declarePlugins(
          input({
            inline: [
              plugin('boom', {
                create() {
                  throw new Error('no region');
                },
              }),
              plugin('twice', { create: () => ({ protocols: [protocol('twice-other')], pricing: {} }) }),
              plugin('odd', { create: 'soon' as never }),
            ],
          }),
        ),
      );
      expect(error.problems).to.include('plugin "boom" (from inline): create failed: no region');
      expect(error.problems).to.include(
        'plugin "twice" (from inline): create failed: protocols declared both on the plugin and by create',
      );
      expect(error.problems).to.include('plugin "odd" (from inline): create must be a function');
    });
  });

  it('reports every problem at once', async () => {
    await writeTree(root, {
      'future/package.json': { name: 'future', type: 'module' },
      'future/index.js': pluginModuleSource('future', { apiVersion: 2 }),
      'broken/package.json': { name: 'broken', type: 'module' },
      'broken/index.js': 'export default {;\n',
    });
    const shared = protocol('shared-proto');
    const error = await failure(
      declarePlugins(
        input({
          entries: ['./future', './broken', 'not-installed'],
          pluginOptions: { picky: { level: 'loud' }, ghost: {} },
          inline: [
            plugin('alpha', {
              routes: { mounts: ['/api'], routes: [{ method: 'POST', path: '/v1/messages', protocol: 'alpha-proto' }] },
            }),
            plugin('alpha'),
            plugin('beta', {
              protocols: [protocol('beta-proto'), shared],
              accountTypes: [
                accountType('beta-key', ['beta-proto', 'nowhere-proto']),
                accountType('wrong-prefix', ['beta-proto']),
                // The plugin id itself is a valid account type id; a longer word is not.
                accountType('beta', ['beta-proto']),
                accountType('betamax-key', ['beta-proto']),
              ],
              translators: [translator('beta-proto', 'missing-proto')],
              routes: { mounts: ['/api/'], routes: [{ method: ['GET', 'POST'], path: 'v1/messages/', protocol: 'beta-proto' }] },
            }),
            plugin('gamma', { protocols: [protocol('gamma-proto'), shared] }),
            plugin('picky', { options: z.object({ level: z.enum(['quiet', 'normal']) }) }),
            plugin('Bad_Id'),
            plugin('creds', {
              accountTypes: [{ ...accountType('creds-key', ['creds-proto']), credentials: z.string() as never }],
            }),
          ],
        }),
      ),
    );
    const expected = [
      `plugin "future" (from ${join(root, 'future')}) targets plugin API v2 but this gateway provides v1`,
      'plugin id "alpha" is declared by both plugin "alpha" (from inline) and plugin "alpha" (from inline)',
      'protocol "shared-proto" is declared by both plugin "beta" (from inline) and plugin "gamma" (from inline)',
      'plugin "beta": account type "beta-key" serves refers to unknown protocol "nowhere-proto"',
      'route conflict: POST /api/v1/messages is declared by both plugin "alpha" and plugin "beta"',
      'plugin "picky": options.level: Invalid option: expected one of "quiet"|"normal"',
      'pluginOptions.ghost: no loaded plugin has the id "ghost"',
    ];
    for (const problem of expected) expect(error.problems).to.include(problem);
    const has = (...parts: string[]) => error.problems.some((problem) => parts.every((part) => problem.includes(part)));
    expect(has('plugins[1] ("./broken"): cannot load plugin:')).to.equal(true);
    expect(has('plugins[2] ("not-installed"): cannot load plugin: package is not installed')).to.equal(true);
    expect(has('plugin "beta" (from inline)', 'account type "wrong-prefix"', 'start with "beta-"')).to.equal(true);
    expect(has('plugin "beta" (from inline)', 'account type "betamax-key"', 'be "beta" or start with "beta-"')).to.equal(true);
    expect(has('account type "beta"')).to.equal(false);
    expect(has('plugin "Bad_Id" (from inline)', 'kebab-case')).to.equal(true);
    expect(has('plugin "creds" (from inline)', 'credentials must be a zod object schema')).to.equal(true);
    expect(has('route conflict', 'GET')).to.equal(false);
    expect(has('missing-proto')).to.equal(false);
    expect(error.message.split('\n')).to.have.length(error.problems.length + 1);
  });

  it('reports duplicate account types and translators across plugins', async () => {
    const error = await failure(
      declarePlugins(
        input({
          inline: [
            plugin('one', { translators: [translator('one-proto', 'two-proto')] }),
            plugin('two', {
              accountTypes: [accountType('two-key', ['two-proto'])],
              translators: [translator('one-proto', 'two-proto')],
            }),
            plugin('one-more', { protocols: [], accountTypes: [accountType('one-key', ['one-proto'])] }),
          ],
        }),
      ),
    );
    expect(error.problems).to.include(
      'translator "one-proto -> two-proto" is declared by both plugin "one" (from inline) and plugin "two" (from inline)',
    );
    expect(error.problems.some((problem) => problem.startsWith('account type "one-key" is declared by both'))).to.equal(true);
  });

  it('reports a module whose default export is not a plugin', async () => {
    await writeTree(root, { 'thing.mjs': 'export default { hello: "world" };\n', 'none.mjs': 'export const x = 1;\n' });
    const error = await failure(declarePlugins(input({ entries: ['./thing.mjs', './none.mjs'] })));
    expect(error.problems).to.deep.equal([
      `plugins[1] ("./none.mjs"): cannot load plugin: ${join(root, 'none.mjs')} has no default export`,
      `${join(root, 'thing.mjs')}: the default export is not a Switchyard plugin (expected an object with id and apiVersion)`,
    ]);
  });

  it('reports a root without package.json in "auto" mode', async () => {
    const error = await failure(declarePlugins(input({ entries: 'auto' })));
    expect(error.problems[0]).to.contain(`plugins "auto": cannot read ${join(root, 'package.json')}`);
  });
});
