/**
 * For the state transfer tests: fills a gateway through its admin API with one of
 * everything the admin shows, and reads back every admin answer to compare.
 */
import { sendRequest, type SentResponse, type TestGateway } from '@switchyard/core/testing';

export const ADMIN = { username: 'root', password: 'correct-horse-battery' };
export const TARGET_SECRET = 'webhook-signing-secret-123456';
export const UPSTREAM_KEY = 'upstream-secret-abcdef';

/** An admin client for one gateway. */
export async function adminClient(tg: TestGateway) {
  const login = await sendRequest(`${tg.url}/admin/api/login`, { body: ADMIN });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text()}`);
  const token = login.json<{ token: string }>().token;
  return async (method: string, path: string, body?: unknown): Promise<SentResponse> => {
    const res = await sendRequest(`${tg.url}/admin/api/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body }),
    });
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${res.text()}`);
    return res;
  };
}

/** What {@link populate} made. */
export interface Populated {
  keyPlaintext: string;
  keyId: string;
  accountIds: string[];
  batchId: string;
}

/** One of everything: accounts (one with a proxy, one paused, checked), group, keys, users, settings, prices, cards, a target, usage. */
export async function populate(tg: TestGateway, upstreamUrl: string): Promise<Populated> {
  const call = await adminClient(tg);
  await call('PUT', 'groups/team', { name: 'Team', description: 'the team', modelAliases: { 'team-*': 'echo-1' } });
  const account = (
    await call('POST', 'accounts', {
      type: 'echo-key',
      name: 'Echo one',
      groups: ['team'],
      credentials: { apiKey: UPSTREAM_KEY, baseUrl: upstreamUrl },
    })
  ).json<{ id: string }>();
  const second = (
    await call('POST', 'accounts', {
      type: 'echo-key',
      name: 'Echo two',
      credentials: { apiKey: `${UPSTREAM_KEY}-2`, baseUrl: upstreamUrl },
      proxy: 'http://user:proxy-pass@127.0.0.1:9',
    })
  ).json<{ id: string }>();
  await call('POST', `accounts/${second.id}/pause`, {});
  await call('PUT', `accounts/${account.id}/scheduling`, { weight: 3, cooldownMs: { rate_limited: 5000 } });
  await call('POST', `accounts/${account.id}/checks`, {});
  const key = (
    await call('POST', 'keys', {
      name: 'dev',
      tags: ['a', 'b'],
      owner: 'alice',
      description: 'for dev',
      limits: { costUsd: { total: 5 }, binding: { group: 'team' }, modelAliases: { small: 'echo-2' } },
    })
  ).json<{ key: { id: string }; plaintext: string }>();
  await call('POST', 'keys', { name: 'spare', limits: { concurrency: 2 } });
  await call('POST', 'users', { username: 'alice', password: 'alice-password-1', role: 'user' });
  await call('POST', 'users', { username: 'bob', password: 'bob-password-12', role: 'user' });
  await call('POST', 'users/bob/disable', {});
  await call('PUT', 'settings', { stickyTtlMs: 300_000, maxAttempts: 2 });
  await call('PUT', 'pricing/overrides', { 'echo-9': { input: 1, output: 2 } });
  await call('PUT', 'user-policy', await (await call('GET', 'user-policy')).json());
  await call('PUT', 'notifications/targets/ops', {
    type: 'webhook',
    name: 'Ops',
    url: 'http://127.0.0.1:9/hook',
    secret: TARGET_SECRET,
    events: ['account.*'],
  });
  const batch = (await call('POST', 'cards/batches', { creditUsd: 1, count: 3, note: 'launch' })).json<{
    batch: { id: string };
    codes: string[];
  }>();
  const auth = { authorization: `Bearer ${key.plaintext}` };
  const redeemed = await sendRequest(`${tg.url}/api/v1/redeem`, { headers: auth, body: { code: batch.codes[0] } });
  if (redeemed.status !== 200) throw new Error(`redeem: ${redeemed.status} ${redeemed.text()}`);
  const cards = (await call('GET', `cards/batches/${batch.batch.id}`)).json<{ cards: { id: string; status: string }[] }>().cards;
  await call('POST', `cards/${cards.find((card) => card.status === 'unused')!.id}/revoke`, {});
  for (const input of ['hello there', 'one two three four']) {
    const res = await sendRequest(`${tg.url}/echo/v1/echo`, { headers: auth, body: { model: 'team-1', input } });
    if (res.status !== 200) throw new Error(`relay: ${res.status} ${res.text()}`);
  }
  await tg.usageRecords({ count: 2 });
  return { keyPlaintext: key.plaintext, keyId: key.key.id, accountIds: [account.id, second.id], batchId: batch.batch.id };
}

/** Every admin answer about the state, by path (the live parts no export carries are left out). */
export async function adminSnapshot(tg: TestGateway, made: Populated, range: { since: string; until: string }) {
  const call = await adminClient(tg);
  const paths = [
    'accounts',
    'keys',
    'groups',
    'users',
    'admins',
    'settings',
    'pricing',
    'user-policy',
    'notifications',
    'cards/batches',
    `cards/batches/${made.batchId}`,
    'cards/redemptions',
    `keys/${made.keyId}`,
    `keys/${made.keyId}/usage?since=${range.since}&until=${range.until}`,
    `usage/summary?since=${range.since}&until=${range.until}`,
    `requests?since=${range.since}&until=${range.until}`,
    ...made.accountIds.map((id) => `accounts/${id}/checks`),
  ];
  const out: Record<string, unknown> = {};
  for (const path of paths) out[path] = (await call('GET', path)).json();
  // Signing in to take the snapshot moves the admin's last sign-in; the embedded store
  // keeps accounts' live state (last use) in memory only, so no restart keeps it.
  for (const path of ['users', 'admins']) for (const user of out[path] as Record<string, unknown>[]) delete user['lastSignInAt'];
  for (const account of out['accounts'] as { state: Record<string, unknown> }[]) delete account.state['lastUsedAt'];
  const keyInfo = await sendRequest(`${tg.url}/api/v1/key-info`, {
    method: 'GET',
    headers: { authorization: `Bearer ${made.keyPlaintext}` },
  });
  // The answer's own time is when it was asked.
  const { timestamp: _asked, ...info } = keyInfo.json<Record<string, unknown>>();
  out['key-info'] = info;
  return out;
}
