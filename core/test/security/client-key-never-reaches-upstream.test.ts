/**
 * Issue 14, item 8: a client's Switchyard key is the gateway's credential, never the
 * provider's. Whichever header or query parameter authenticated the request, every place
 * a client key can ride in (`?key=` and each key header) is stripped before forwarding.
 */
import { expect } from 'chai';
import { sendRequest } from '@switchyard/core/testing';
import { tickGatewayForSuite } from '../fixtures/tick-gateway-for-suite.js';

describe('security: no client key reaches the upstream provider', () => {
  const suite = tickGatewayForSuite({ keys: [{ name: 'used' }, { name: 'other' }], upstream: { intervalMs: 0 } });

  it('strips ?key= even when another header carried the key that authenticated the request', async () => {
    const used = suite.tg.keys['used']!;
    const other = suite.tg.keys['other']!;
    const res = await sendRequest(`${suite.tg.url}/tick/v1/ticks?key=${other}&keep=1`, {
      headers: { 'x-api-key': used },
      body: { model: 'tick-1', count: 1 },
    });
    expect(res.status).to.equal(200);
    const seen = suite.upstream.requests.at(-1)!;
    expect(seen.url).to.equal('/v1/ticks?keep=1');
    expect(seen.query.has('key')).to.equal(false);
    expect(JSON.stringify(seen.headers)).not.to.contain(used);
    expect(JSON.stringify(seen.headers)).not.to.contain(other);
    // The account's own credential, as usual.
    expect(seen.headers.authorization).to.equal('Bearer tick-secret-token');
  });

  it('strips every key header and every repeated ?key= whatever combination the client sends', async () => {
    const used = suite.tg.keys['used']!;
    const other = suite.tg.keys['other']!;
    const res = await sendRequest(`${suite.tg.url}/tick/v1/ticks?key=${other}&key=${used}&keep=2`, {
      headers: { authorization: `Bearer ${used}`, 'x-goog-api-key': other, 'api-key': other },
      body: { model: 'tick-1', count: 1 },
    });
    expect(res.status).to.equal(200);
    const seen = suite.upstream.requests.at(-1)!;
    expect(seen.url).to.equal('/v1/ticks?keep=2');
    for (const name of ['x-goog-api-key', 'api-key', 'x-api-key']) expect(seen.headers[name], name).to.equal(undefined);
    expect(seen.headers.authorization).to.equal('Bearer tick-secret-token');
    expect(`${seen.url} ${JSON.stringify(seen.headers)} ${seen.text()}`)
      .not.to.contain(other)
      .and.not.to.contain(used);
  });
});
