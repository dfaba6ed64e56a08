/**
 * Issue 14, item 4: behind trusted reverse proxies, the client address is the one the
 * nearest trusted proxy saw (counted from the right end of X-Forwarded-For), never the
 * client-written left end, so forging the header cannot escape the per-IP login limit.
 */
import { expect } from 'chai';
import type { GatewayConfigInput } from '../../src/config/schema.js';
import { startAdminHarness, type AdminHarness } from '../admin-api/admin-harness.js';

const PER_IP = 4;
const CLIENT = '203.0.113.7';
const CDN = '198.51.100.9';

describe('per-IP login throttle behind a trusted reverse proxy', () => {
  let h: AdminHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const start = async (trustProxy: NonNullable<GatewayConfigInput['server']>['trustProxy']) => {
    h = await startAdminHarness({
      server: { trustProxy },
      admin: { loginMaxFailuresPerIp: PER_IP, loginMaxFailuresPerUser: 100 },
    });
    return h;
  };

  /** Wrong sign-ins, each with a different forged left end, a different username, and the proxies' own entries. */
  const forgedGuesses = async (harness: AdminHarness, proxiesAdded: string) => {
    const statuses: number[] = [];
    for (let i = 0; i < PER_IP + 2; i += 1) {
      const forwardedFor = `10.9.${i}.1, 1.2.3.${i}, ${proxiesAdded}`;
      const res = await harness.call('POST', 'api/login', {
        body: { username: `user-${i}`, password: 'wrong-password' },
        headers: { 'x-forwarded-for': forwardedFor },
      });
      statuses.push(res.status);
    }
    return statuses;
  };
  const expected = [...Array.from({ length: PER_IP }, () => 401), 429, 429];

  it('with trustProxy: true (one proxy), takes the address that proxy appended', async () => {
    const harness = await start(true);
    expect(await forgedGuesses(harness, CLIENT)).to.deep.equal(expected);
    const logged = harness.tg.logs.filter((line) => line['message'] === 'sign-in failed').map((line) => line['ip']);
    expect(logged).to.deep.equal(Array.from({ length: PER_IP }, () => CLIENT));
  });

  it('with trustProxy: 1, the same', async () => {
    expect(await forgedGuesses(await start(1), CLIENT)).to.deep.equal(expected);
  });

  it('with trustProxy: 2 (a CDN in front of the proxy), takes the address the outer proxy saw', async () => {
    const harness = await start(2);
    expect(await forgedGuesses(harness, `${CLIENT}, ${CDN}`)).to.deep.equal(expected);
    const logged = harness.tg.logs.filter((line) => line['message'] === 'sign-in failed').map((line) => line['ip']);
    expect(new Set(logged)).to.deep.equal(new Set([CLIENT]));
  });

  it('without trustProxy, ignores X-Forwarded-For and counts the connection address', async () => {
    expect(await forgedGuesses(await start(false), CLIENT)).to.deep.equal(expected);
  });
});
