import { expect } from 'chai';
import type { AccountView } from '@switchyard/plugin-api';
import type { PluginRegistry } from '../plugins/registry-types.js';
import { knownModelIds, listKeyModels, type KeyModelListInput, type ListedAccount } from './key-model-list.js';

describe('key model lists', () => {
  const registry = {
    plugins: [{ plugin: { knownModels: ['big-model-4', 'big-model-4-20250101', 'big-*'] } }, { plugin: {} }],
    prices: { 'big-model-4*': {}, 'big-model-3': {}, 'small-1': {} },
    accountType: (id: string) =>
      id === 'vendor-key'
        ? { definition: { models: { defaults: ['big-*'] }, listModels: () => ['big-model-5-preview', 'small-1', 'big-*'] } }
        : id === 'open-key'
          ? { definition: {} }
          : undefined,
    upstreamProtocolFor: (_type: string, protocol: string) => (protocol === 'vendor' ? 'vendor' : undefined),
  } as unknown as PluginRegistry;
  const account = (id: string, extra: Partial<ListedAccount> = {}): ListedAccount => ({
    id,
    type: 'vendor-key',
    enabled: true,
    groups: [],
    settings: {},
    ...extra,
  });
  const list = (accounts: ListedAccount[], more: Partial<KeyModelListInput<ListedAccount>> = {}) =>
    listKeyModels({
      registry,
      knownIds: knownModelIds(registry),
      accounts,
      protocol: 'vendor',
      isDedicated: () => false,
      view: (record) => record as unknown as AccountView,
      ...more,
    });

  it("knows the plugins' exact known ids and the exact price keys, never a pattern", () => {
    expect(knownModelIds(registry).sort()).to.deep.equal(['big-model-3', 'big-model-4', 'big-model-4-20250101', 'small-1']);
  });

  it('expands patterns to known ids, keeps exact ids and mapped names, and takes listed ids the catalog admits', () => {
    expect(
      list([account('a', { settings: { models: ['big-model-4*', 'exotic-1'], modelMapping: { fast: 'big-model-4' } } })]),
    ).to.deep.equal(['big-model-4', 'big-model-4-20250101', 'exotic-1', 'fast']);
    expect(list([account('a')])).to.deep.equal(['big-model-3', 'big-model-4', 'big-model-4-20250101', 'big-model-5-preview']);
  });

  it('leaves out disabled accounts, unknown types, other protocols, and dedicated accounts the key is not bound to', () => {
    const accounts = [
      account('off', { enabled: false }),
      account('ghost', { type: 'nope' }),
      account('mine', { settings: { models: ['mine-1'] } }),
    ];
    expect(list(accounts, { protocol: 'other' })).to.deep.equal([]);
    expect(list(accounts, { isDedicated: (id) => id === 'mine' })).to.deep.equal([]);
    expect(list(accounts, { isDedicated: (id) => id === 'mine', limits: { binding: { account: 'mine' } } })).to.deep.equal([
      'mine-1',
    ]);
  });

  it('follows the binding: bound accounts alone, or everyone with fallback', () => {
    const accounts = [
      account('a', { settings: { models: ['a-1'] }, groups: ['team'] }),
      account('b', { settings: { models: ['b-1'] } }),
    ];
    expect(list(accounts, { limits: { binding: { group: 'team' } } })).to.deep.equal(['a-1']);
    expect(list(accounts, { limits: { binding: { group: 'team', fallback: true } } })).to.deep.equal(['a-1', 'b-1']);
    expect(list(accounts, { limits: { binding: { account: 'gone' } } })).to.deep.equal([]);
  });

  it("applies the key's model rules: deny wins, an allow-list keeps only matches (case-insensitive)", () => {
    const accounts = [account('a', { settings: { models: ['Big-Model-4', 'big-model-3', 'small-1'] } })];
    expect(list(accounts, { limits: { models: { allow: ['big-*'], deny: ['*-3'] } } })).to.deep.equal(['Big-Model-4']);
  });

  it('lists what a type without a catalog lists itself', () => {
    expect(list([account('open', { type: 'open-key' })])).to.deep.equal([]);
  });
});
