/**
 * A test gateway with the echo example plugin, a fake echo upstream, and a known first
 * admin, plus a tiny client for the admin API.
 */
import {
  createTestGateway,
  sendRequest,
  type Clock,
  type FakeUpstream,
  type SentResponse,
  type TestGateway,
} from '@switchyard/core/testing';
import type { GatewayConfigInput } from '../../src/config/schema.js';
import type { SwitchyardPlugin } from '@switchyard/plugin-api';
import { echoPlugin } from 'switchyard-plugin-echo';
import { startFakeEchoUpstream } from '../../../examples/plugin-echo/test/fake-echo-upstream.js';

export const ADMIN = { username: 'root', password: 'correct-horse-battery' };
export const UPSTREAM_KEY = 'upstream-secret-abcdef';

/** A running harness. */
export interface AdminHarness {
  tg: TestGateway;
  upstream: FakeUpstream;
  /** Calls `/admin/<path>` (e.g. `api/accounts`) with an optional bearer token. */
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<SentResponse>;
  /** Signs in and returns the bearer token. */
  login(username?: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts a harness. */
export async function startAdminHarness(
  config: Partial<GatewayConfigInput> = {},
  plugins: readonly SwitchyardPlugin[] = [],
  store: 'embedded' | 'redis' = 'embedded',
  options: { clock?: Clock } = {},
): Promise<AdminHarness> {
  const upstream = await startFakeEchoUpstream({ apiKey: UPSTREAM_KEY, intervalMs: 1 });
  const tg = await createTestGateway({
    plugins: [echoPlugin, ...plugins],
    store,
    ...(options.clock ? { clock: options.clock } : {}),
    config: { ...config, admin: { ...ADMIN, ...config.admin }, logging: { level: 'info' } },
  });
  const call: AdminHarness['call'] = (method, path, options = {}) =>
    sendRequest(`${tg.url}/admin/${path}`, {
      method,
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
  return {
    tg,
    upstream,
    call,
    async login(username = ADMIN.username, password = ADMIN.password) {
      const res = await call('POST', 'api/login', { body: { username, password } });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text()}`);
      return res.json<{ token: string }>().token;
    },
    async close() {
      await tg.close();
      await upstream.close();
    },
  };
}
