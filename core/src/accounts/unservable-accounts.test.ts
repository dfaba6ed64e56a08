import { expect } from 'chai';
import type { PluginRegistry } from '../plugins/registry-types.js';
import { findUnservableAccounts } from './unservable-accounts.js';

describe('findUnservableAccounts', () => {
  const registry = (routeProtocols: string[]) =>
    ({
      routes: routeProtocols.map((protocol) => ({ definition: { protocol } })),
      prices: { 'big-model-4*': {}, 'small-1': {} },
      accountType: (id: string) => (id === 'vendor-key' ? { definition: { models: { defaults: ['big-*'] } } } : undefined),
      upstreamProtocolFor: (_type: string, protocol: string) => (protocol === 'vendor' ? 'vendor' : undefined),
    }) as unknown as PluginRegistry;
  const account = (id: string, settings: Record<string, unknown> = {}, enabled = true) => ({
    id,
    type: 'vendor-key',
    enabled,
    settings,
  });

  it('names accounts no loaded route reaches', () => {
    expect(findUnservableAccounts(registry(['other']), [account('a')])).to.deep.equal([
      { account: 'a', reason: 'no loaded route serves a protocol its type (vendor-key) can answer' },
    ]);
  });

  it('names accounts whose patterns overlap no priced model, in either direction, and skips disabled and widened ones', () => {
    const found = findUnservableAccounts(registry(['vendor']), [
      account('defaults'),
      account('exact-under-a-priced-pattern', { models: ['big-model-4-1'] }),
      account('glob', { models: ['small-*'] }),
      account('typo', { models: ['bgi-*'] }),
      account('widened', { models: ['*'] }),
      account('off', { models: ['bgi-*'] }, false),
    ]);
    expect(found.map((entry) => entry.account)).to.deep.equal(['typo']);
  });
});
