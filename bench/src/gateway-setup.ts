/**
 * What the bench's gateway is made of, shared by the gateway child (gateway-child.ts) and
 * the scale fixture's own process (fixture-child.ts), which must open the same store with
 * the same config and secret: the plugins and account of the provider under test, and the
 * options of `createGateway`.
 */
import type { GatewayOptions } from '@switchyard/core';
import type { SwitchyardPlugin } from '@switchyard/plugin-api';
import type { GatewayChildOptions } from './gateway-child.js';

/** The plugins' package names, their objects (for `inline`) and the one account of the provider. */
export interface ProviderSetup {
  packageNames: string[];
  plugins: SwitchyardPlugin[];
  account: { id: string; type: string; name: string; credentials: Record<string, unknown>; maxConcurrency: number };
}

/** The plugins and account of `opts.provider` (see gateway-child.ts). */
export async function providerSetup(opts: GatewayChildOptions): Promise<ProviderSetup> {
  const account = {
    maxConcurrency: opts.accountConcurrency,
    credentials: { apiKey: opts.upstreamKey, baseUrl: opts.upstreamUrl },
  };
  if (opts.provider === 'claude') {
    const { claudePlugin } = await import('@switchyard/plugin-claude');
    return {
      packageNames: ['@switchyard/plugin-claude'],
      plugins: [claudePlugin],
      account: { id: 'bench-claude', type: 'claude-console', name: 'bench Anthropic upstream', ...account },
    };
  }
  if (opts.provider === 'bedrock') {
    const { claudePlugin } = await import('@switchyard/plugin-claude');
    const { bedrockPlugin } = await import('@switchyard/plugin-bedrock');
    return {
      packageNames: ['@switchyard/plugin-claude', '@switchyard/plugin-bedrock'],
      plugins: [claudePlugin, bedrockPlugin],
      account: {
        id: 'bench-bedrock',
        type: 'bedrock',
        name: 'bench Bedrock upstream',
        maxConcurrency: opts.accountConcurrency,
        // An IAM key, so every request is signed with SigV4 (the costlier credential).
        credentials: {
          region: 'us-east-1',
          accessKeyId: 'AKIABENCHBEDROCK0001',
          secretAccessKey: opts.upstreamKey,
          baseUrl: opts.upstreamUrl,
        },
      },
    };
  }
  const echo = (await import('switchyard-plugin-echo')).default;
  return {
    packageNames: ['switchyard-plugin-echo'],
    plugins: [echo],
    account: { id: 'bench-echo', type: 'echo-key', name: 'bench echo upstream', ...account },
  };
}

/** True when `opts` asks for anything beside the bench's own key and account. */
export function hasScaleFixture(opts: GatewayChildOptions): boolean {
  const scale = opts.scale;
  return scale !== undefined && (scale.keys > 1 || scale.accounts > 1 || scale.usageRows > 0);
}

/** The options of `createGateway` for `opts`: the same store, secret and config in both processes. */
export function gatewayOptions(opts: GatewayChildOptions, setup: ProviderSetup): GatewayOptions {
  const store = opts.store ?? { type: 'embedded' };
  const scale = opts.scale;
  return {
    config: {
      server: { host: '127.0.0.1', port: 0 },
      store: store.type === 'redis' ? store : { type: 'embedded', path: opts.dataDir },
      ...(opts.adminPassword ? { admin: { username: 'admin', password: opts.adminPassword } } : {}),
      plugins: opts.pluginMode === 'package' ? setup.packageNames.map((name) => ({ package: name })) : [],
      security: { encryptionKey: opts.encryptionKey },
      logging: { level: opts.logLevel },
      usage: {
        record: opts.recordUsage !== false,
        // The history's records stay in the request log (not purged by the first retention pass).
        ...(scale && scale.usageRows > 0 ? { requestLog: { retentionHours: (scale.usageDays + 1) * 24 } } : {}),
      },
      accounts: [setup.account],
      keys: [{ name: 'bench', key: opts.clientKey }],
    },
    configDir: opts.dataDir,
    rootDir: opts.rootDir,
    plugins: opts.pluginMode === 'inline' ? setup.plugins : [],
    print: () => {},
    env: {},
  };
}
