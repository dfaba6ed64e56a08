import { expect } from 'chai';
import { createTestGateway, sendRequest } from '@switchyard/core/testing';
import type { RouteDefinition, SwitchyardPlugin } from '@switchyard/plugin-api';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { tickGatewayForSuite } from '../fixtures/tick-gateway-for-suite.js';

/** The tick plugin with a route whose protocol allows 16 KB, and one that would allow 10 MB. */
const limitedTickPlugin: SwitchyardPlugin = {
  ...tickPlugin,
  routes: {
    mounts: ['/tick'],
    routes: [
      { method: 'POST', path: '/v1/ticks', protocol: 'tick', operation: 'ticks', bodyLimitMb: 16 / 1024 },
      { method: 'POST', path: '/v1/roomy', protocol: 'tick', operation: 'ticks', bodyLimitMb: 10 },
      { method: 'POST', path: '/v1/plain', protocol: 'tick', operation: 'ticks' },
    ] satisfies RouteDefinition[],
  },
};

function body(bytes: number): { model: string; input: string } {
  return { model: 'tick-1', input: 'x'.repeat(bytes - JSON.stringify({ model: 'tick-1', input: '' }).length) };
}

describe('a route may declare a lower body limit than the server default; the server limit stays the ceiling', () => {
  const suite = tickGatewayForSuite({ plugins: [limitedTickPlugin], config: { server: { bodyLimitMb: 64 / 1024 } } });

  const post = (path: string, bytes: number) =>
    sendRequest(`${suite.tg.url}/tick${path}`, { headers: { 'x-api-key': suite.tg.key }, body: body(bytes) });

  it("answers 413 in the route's shape to a body over the route's own limit", async () => {
    const res = await post('/v1/ticks', 20 * 1024);
    expect(res.status).to.equal(413);
    expect(res.json<{ error: { code: string } }>().error.code).to.equal('payload_too_large');
    expect((await post('/v1/ticks', 15 * 1024)).status).to.equal(200);
  });

  it('uses server.bodyLimitMb on a route that declares nothing', async () => {
    expect((await post('/v1/plain', 60 * 1024)).status).to.equal(200);
    expect((await post('/v1/plain', 70 * 1024)).status).to.equal(413);
  });

  it('never goes above server.bodyLimitMb, even where a route would allow more', async () => {
    expect((await post('/v1/roomy', 60 * 1024)).status).to.equal(200);
    expect((await post('/v1/roomy', 70 * 1024)).status).to.equal(413);
  });

  it('refuses to load a plugin whose route declares an unusable limit', async () => {
    const broken = {
      ...tickPlugin,
      routes: { mounts: ['/tick'], routes: [{ method: 'POST', path: '/v1/ticks', protocol: 'tick', bodyLimitMb: -1 }] },
    };
    let failure: unknown;
    try {
      const other = await createTestGateway({ plugins: [broken as SwitchyardPlugin] });
      await other.close();
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.match(/bodyLimitMb/);
  });
});
