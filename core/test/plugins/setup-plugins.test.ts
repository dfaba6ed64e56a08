import { expect } from 'chai';
import { z } from 'zod';
import type { PluginEnv, SwitchyardPlugin } from '@switchyard/plugin-api';
import { declarePlugins, PluginLoadError, setupPlugins, type PluginRegistry } from '../../src/plugins/index.js';
import { accountType, plugin, protocol, services, translator } from './fixtures.js';
import { rejectionOf } from '../support/rejection-of.js';

async function load(inline: SwitchyardPlugin[], testServices = services()): Promise<PluginRegistry> {
  const declared = await declarePlugins({
    entries: [],
    pluginOptions: {},
    inline,
    rootDir: '/nonexistent',
    configDir: '/nonexistent',
  });
  return setupPlugins(declared, testServices);
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, PluginLoadError);

describe('setupPlugins', () => {
  it('records what setup registers through the extension points', async () => {
    const seen: { pluginId?: string; options?: unknown } = {};
    const task = () => {};
    const registry = await load([
      plugin('ext', {
        options: z.object({ depth: z.number().default(3) }),
        async setup(env: PluginEnv<{ depth: number }>) {
          seen.pluginId = env.pluginId;
          seen.options = env.options;
          await env.kv.set('k', 1);
          env.scheduler.addFilter({ name: 'f', filter: () => true });
          env.scheduler.addAffinity({ name: 'a', key: () => undefined });
          env.scheduler.onAccountError(() => ({ cooldownMs: 5 }));
          env.scheduler.setStrategy({ name: 'random', order: (candidates) => candidates });
          env.keys.addPolicy({ name: 'p', check: () => {} });
          env.keys.addClientDetector({ id: 'cli', label: 'CLI', matches: () => false });
          env.usage.addEnricher((record) => record);
          env.usage.addSink({ name: 's', write: () => {} });
          env.usage.addPrices({ 'ext-model': { input: 1, output: 2 } });
          env.lifecycle.every('tick', 1000, task);
          env.lifecycle.onShutdown('bye', task);
        },
      }),
    ]);
    expect(seen).to.deep.equal({ pluginId: 'ext', options: { depth: 3 } });
    const x = registry.extensions;
    expect(
      [x.filters, x.affinities, x.errorReactions, x.policies, x.clientDetectors, x.enrichers, x.sinks].map((list) => list.length),
    ).to.deep.equal([1, 1, 1, 1, 1, 1, 1]);
    expect(x.strategy?.name).to.equal('random');
    expect(x.intervals).to.deep.equal([{ pluginId: 'ext', name: 'tick', intervalMs: 1000, task }]);
    expect(x.shutdownHooks).to.deep.equal([{ pluginId: 'ext', name: 'bye', hook: task }]);
    expect(registry.prices).to.deep.equal({ 'ext-model': { input: 1, output: 2 } });
  });

  it('closes the extension points when setup returns, and freezes the registry', async () => {
    let saved: PluginEnv<unknown> | undefined;
    const registry = await load([plugin('late', { setup: (env) => void (saved = env) })]);
    expect(() => saved!.scheduler.addFilter({ name: 'f', filter: () => true })).to.throw(
      'extension points are closed after setup',
    );
    expect(() => saved!.lifecycle.every('x', 10, () => {})).to.throw('extension points are closed after setup');
    expect(() => saved!.usage.addPrices({})).to.throw('extension points are closed after setup');
    expect(registry.extensions.filters).to.have.length(0);
    expect(Object.isFrozen(registry)).to.equal(true);
    expect(Object.isFrozen(registry.routes)).to.equal(true);
    expect(Object.isFrozen(registry.extensions)).to.equal(true);
    expect(Object.isFrozen(registry.extensions.filters)).to.equal(true);
    expect(Object.isFrozen(registry.prices)).to.equal(true);
  });

  it('reports every failed setup and a second selection strategy', async () => {
    const strategy = { name: 's', order: (candidates: readonly never[]) => candidates };
    const error = await failure(
      load([
        plugin('first', { setup: (env) => env.scheduler.setStrategy(strategy) }),
        plugin('second', { setup: (env) => env.scheduler.setStrategy(strategy) }),
        plugin('crashes', {
          setup: () => {
            throw new Error('boom');
          },
        }),
        plugin('rejects', { setup: async () => Promise.reject(new Error('later boom')) }),
        plugin('misuses', { setup: (env) => env.lifecycle.every('bad', -1, () => {}) }),
      ]),
    );
    expect(error.problems).to.deep.equal([
      'plugin "crashes" (from inline): setup failed: boom',
      'plugin "rejects" (from inline): setup failed: later boom',
      'plugin "misuses" (from inline): setup failed: every needs a positive intervalMs',
      'plugin "second": setStrategy: the selection strategy is already set by plugin "first"',
    ]);
  });

  it('registers protocols, account types, translators and routes per mount', async () => {
    const registry = await load([
      plugin('chat', {
        protocols: [protocol('chat-proto'), protocol('chat-alt')],
        translators: [translator('chat-alt', 'chat-proto')],
        routes: {
          mounts: ['/chat', ''],
          routes: [
            { method: 'POST', path: '/v1/complete', protocol: 'chat-proto' },
            { method: ['GET', 'HEAD'], path: '/v1/models', protocol: 'chat-proto' },
          ],
        },
      }),
      plugin('other', { translators: [translator('chat-proto', 'other-proto')] }),
    ]);
    expect(registry.plugins.map((loaded) => loaded.plugin.id)).to.deep.equal(['chat', 'other']);
    expect(registry.protocols().map((entry) => `${entry.pluginId}:${entry.definition.id}`)).to.deep.equal([
      'chat:chat-proto',
      'chat:chat-alt',
      'other:other-proto',
    ]);
    expect(registry.protocol('chat-alt')?.pluginId).to.equal('chat');
    expect(registry.protocol('nope')).to.equal(undefined);
    expect(registry.accountTypes().map((entry) => entry.definition.id)).to.deep.equal(['chat-key', 'other-key']);
    expect(registry.translator('chat-alt', 'chat-proto')?.from).to.equal('chat-alt');
    expect(registry.translator('chat-proto', 'chat-alt')).to.equal(undefined);
    expect(
      registry.routes.map(
        (route) => `${route.pluginId} ${route.mount || "''"} ${route.methods.join('|')} ${route.definition.path}`,
      ),
    ).to.deep.equal([
      'chat /chat POST /v1/complete',
      'chat /chat GET|HEAD /v1/models',
      "chat '' POST /v1/complete",
      "chat '' GET|HEAD /v1/models",
    ]);
  });

  it('finds the upstream protocol of an account type, natively or through a translator', async () => {
    const registry = await load([
      plugin('up', {
        protocols: [protocol('up-native'), protocol('up-second')],
        accountTypes: [accountType('up-key', ['up-native', 'up-second'])],
      }),
      plugin('client', { translators: [translator('client-proto', 'up-second')] }),
    ]);
    expect(registry.upstreamProtocolFor('up-key', 'up-native')).to.equal('up-native');
    expect(registry.upstreamProtocolFor('up-key', 'client-proto')).to.equal('up-second');
    expect(registry.upstreamProtocolFor('client-key', 'up-native')).to.equal(undefined);
    expect(registry.upstreamProtocolFor('missing-key', 'up-native')).to.equal(undefined);
  });

  it('adds an optional http(s) baseUrl to credential schemas that lack one', async () => {
    const own = z.object({ token: z.string(), baseUrl: z.string() });
    const registry = await load([
      plugin('plain'),
      plugin('custom', {
        accountTypes: [{ ...accountType('custom-key', ['custom-proto'], own), settings: z.object({ tier: z.string() }) }],
      }),
    ]);
    const plain = registry.accountType('plain-key')!;
    expect(plain.credentialSchema.safeParse({ apiKey: 'x' }).success).to.equal(true);
    expect(plain.credentialSchema.safeParse({ apiKey: 'x', baseUrl: 'http://127.0.0.1:8080/prefix' }).success).to.equal(true);
    expect(plain.credentialSchema.safeParse({ apiKey: 'x', baseUrl: 'https://upstream.example' }).success).to.equal(true);
    const bad = plain.credentialSchema.safeParse({ apiKey: 'x', baseUrl: 'ftp://upstream.example' });
    expect(bad.success).to.equal(false);
    expect(bad.error?.issues[0]?.message).to.equal('must be an http(s) URL');
    expect(plain.settingsSchema.safeParse({}).success).to.equal(true);
    const custom = registry.accountType('custom-key')!;
    expect(custom.credentialSchema).to.equal(own);
    expect(custom.settingsSchema.safeParse({ tier: 'pro' }).success).to.equal(true);
  });

  it('keeps the first price of a model priced by several plugins and warns', async () => {
    const testServices = services();
    const registry = await load(
      [
        plugin('cheap', { pricing: { shared: { input: 1, output: 1 }, 'cheap-only': { input: 2, output: 2 } } }),
        plugin('dear', {
          pricing: { shared: { input: 9, output: 9 } },
          setup: (env) => env.usage.addPrices({ 'dear-only': { input: 3, output: 3 } }),
        }),
      ],
      testServices,
    );
    expect(registry.prices).to.deep.equal({
      shared: { input: 1, output: 1 },
      'cheap-only': { input: 2, output: 2 },
      'dear-only': { input: 3, output: 3 },
    });
    const warning = testServices.lines.find((line) => line.level === 'warn');
    expect(warning).to.include({ model: 'shared', kept: 'cheap', ignored: 'dear' });
  });

  it('leaves out, with a warning, a translator whose protocol is not loaded', async () => {
    const testServices = services();
    const registry = await load(
      [
        plugin('bridge', {
          protocols: [protocol('bridge-proto')],
          accountTypes: [],
          translators: [
            translator('bridge-proto', 'absent-proto'),
            translator('gone-proto', 'bridge-proto'),
            translator('bridge-proto', 'host-proto'),
          ],
        }),
        plugin('host'),
      ],
      testServices,
    );
    expect(registry.translator('bridge-proto', 'absent-proto')).to.equal(undefined);
    expect(registry.translator('gone-proto', 'bridge-proto')).to.equal(undefined);
    expect(registry.translator('bridge-proto', 'host-proto')?.to).to.equal('host-proto');
    expect(registry.upstreamProtocolFor('host-key', 'bridge-proto')).to.equal('host-proto');
    const warnings = testServices.lines.filter((line) => line.level === 'warn');
    expect(warnings).to.have.length(2);
    expect(warnings[0]).to.include({ plugin: 'bridge', translator: 'bridge-proto -> absent-proto' });
    expect(warnings[0]!.missingProtocols).to.deep.equal(['absent-proto']);
    expect(warnings[1]).to.include({ plugin: 'bridge', translator: 'gone-proto -> bridge-proto' });
    expect(warnings[1]!.missingProtocols).to.deep.equal(['gone-proto']);
  });

  it('still refuses account types and routes naming an unknown protocol', async () => {
    const error = await failure(
      load([
        plugin('lost', {
          accountTypes: [accountType('lost-key', ['nowhere-proto'])],
          routes: { mounts: ['/lost'], routes: [{ method: 'POST', path: '/v1/x', protocol: 'void-proto' }] },
        }),
      ]),
    );
    expect(error.problems).to.include('plugin "lost": account type "lost-key" serves refers to unknown protocol "nowhere-proto"');
    expect(error.problems).to.include('plugin "lost": route POST /v1/x refers to unknown protocol "void-proto"');
  });

  describe('a protocol served when available', () => {
    const provider = () =>
      plugin('prov', {
        accountTypes: [accountType('prov-key', ['prov-proto', { protocol: 'chat-proto', whenAvailable: true }])],
      });

    it('is left out, with a note, when no loaded plugin defines it', async () => {
      const testServices = services();
      const registry = await load([provider()], testServices);
      expect(registry.accountType('prov-key')!.serves).to.deep.equal(['prov-proto']);
      expect(registry.upstreamProtocolFor('prov-key', 'chat-proto')).to.equal(undefined);
      expect(registry.upstreamProtocolFor('prov-key', 'prov-proto')).to.equal('prov-proto');
      const notes = testServices.lines.filter((line) => line.protocol === 'chat-proto');
      expect(notes).to.have.length(1);
      expect(notes[0]).to.include({ level: 'info', plugin: 'prov', accountType: 'prov-key' });
    });

    it('is served like any other when its plugin is loaded', async () => {
      const testServices = services();
      const registry = await load([provider(), plugin('chat')], testServices);
      expect(registry.accountType('prov-key')!.serves).to.deep.equal(['prov-proto', 'chat-proto']);
      expect(registry.upstreamProtocolFor('prov-key', 'chat-proto')).to.equal('chat-proto');
      expect(testServices.lines.filter((line) => line.protocol === 'chat-proto')).to.deep.equal([]);
    });

    it('must say whenAvailable: true', async () => {
      const error = await failure(
        load([
          plugin('odd', {
            accountTypes: [accountType('odd-key', ['odd-proto', { protocol: 'chat-proto', whenAvailable: false } as never])],
          }),
        ]),
      );
      expect(error.problems.join('\n')).to.include('account type "odd-key": serves must list at least one protocol id');
    });
  });
});
