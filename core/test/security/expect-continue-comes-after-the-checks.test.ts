/**
 * Issue 14, items 1 and 6: a client that asks `Expect: 100-continue` (curl does above
 * 1 MB) is told "100 Continue" only once the gateway would take its body: a wrong key or
 * a body over the limit (or beyond the memory budget) is refused before the body is sent,
 * so a refused upload costs neither the client's bandwidth nor the gateway's.
 */
import { expect } from 'chai';
import { tickGatewayForSuite } from '../fixtures/tick-gateway-for-suite.js';
import { sendLikeCurl } from '../fixtures/send-like-curl.js';

describe('security: 100 Continue comes only after the checks a body must pass', function () {
  this.timeout(20_000);
  const suite = tickGatewayForSuite({
    token: 'tick-token-one',
    config: { server: { bodyLimitMb: 2 } },
    upstream: { intervalMs: 0 },
  });

  const body = (bytes: number) => Buffer.from(JSON.stringify({ model: 'tick-1', count: 1, input: 'x'.repeat(bytes) }));
  const url = () => `${suite.tg.url}/tick/v1/ticks`;

  it('refuses a wrong key with 401 before the body is sent', async () => {
    const answer = await sendLikeCurl(url(), { 'x-api-key': 'sy_not-a-key-of-this-gateway-000000' }, body(1_100_000));
    expect(answer.status).to.equal(401);
    expect(answer.sawContinue).to.equal(false);
  });

  it('refuses a body over the limit with 413 before it is sent', async () => {
    const answer = await sendLikeCurl(url(), { 'x-api-key': suite.tg.key }, body(2_500_000));
    expect(answer.status).to.equal(413);
    expect(answer.sawContinue).to.equal(false);
    expect(JSON.parse(answer.body)).to.have.nested.property('error.code', 'payload_too_large');
  });

  it('says 100 Continue to a body it takes, and relays it', async () => {
    const answer = await sendLikeCurl(url(), { 'x-api-key': suite.tg.key }, body(1_100_000));
    expect(answer.status, answer.body).to.equal(200);
    expect(answer.sawContinue).to.equal(true);
  });

  it('says 100 Continue to an admin API request too, which then reads its body', async () => {
    const login = Buffer.from(JSON.stringify({ username: 'nobody', password: 'wrong-password' }));
    const answer = await sendLikeCurl(`${suite.tg.url}/admin/api/login`, {}, login);
    expect(answer.sawContinue).to.equal(true);
    expect(answer.status, answer.body).to.equal(401);
  });
});
