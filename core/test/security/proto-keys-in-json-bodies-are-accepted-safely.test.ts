import { expect } from 'chai';
import { sendRequest } from '@switchyard/core/testing';
import type { RouteDefinition, SwitchyardPlugin } from '@switchyard/plugin-api';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { tickGatewayForSuite } from '../fixtures/tick-gateway-for-suite.js';

/** The tick plugin plus a route that answers with what the parsed body looks like to a plugin. */
const inspectingPlugin: SwitchyardPlugin = {
  ...tickPlugin,
  routes: {
    mounts: ['/tick'],
    routes: [
      ...tickPlugin.routes!.routes,
      {
        method: 'POST',
        path: '/v1/inspect',
        protocol: 'tick',
        handle: (request) => {
          const body = request.body as Record<string, unknown>;
          const tool = ((body['tools'] as unknown[])[0] as { input_schema: { properties: Record<string, unknown> } }).input_schema
            .properties;
          return {
            status: 200,
            body: {
              ownKeys: Object.keys(body),
              prototypeIsObjects: Object.getPrototypeOf(body) === Object.prototype,
              ownProto: Object.getOwnPropertyDescriptor(body, '__proto__')?.value,
              toolOwnKeys: Object.keys(tool),
            },
          };
        },
      },
    ] satisfies RouteDefinition[],
  },
};

// Written as text: in a JavaScript object literal `__proto__` would set the prototype instead of a key.
const BODY =
  '{"model":"tick-1","count":1,"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},' +
  '"tools":[{"name":"set","input_schema":{"type":"object","properties":{"__proto__":{"type":"string"},"constructor":{"type":"string"}}}}]}';

describe('a JSON body may carry __proto__ keys: accepted, kept, forwarded, and nothing is polluted', () => {
  const suite = tickGatewayForSuite({ plugins: [inspectingPlugin] });

  it('the test body really has the keys at the top level and in a tool schema', () => {
    expect(BODY).to.contain('"count":1,"__proto__":{"polluted":"yes"}');
    expect(BODY).to.contain('"properties":{"__proto__":{"type":"string"}');
  });

  it('relays the request, and the upstream receives the body with its __proto__ keys', async () => {
    const res = await sendRequest(`${suite.tg.url}/tick/v1/ticks`, {
      headers: { 'x-api-key': suite.tg.key, 'content-type': 'application/json' },
      body: BODY,
    });
    expect(res.status, res.text()).to.equal(200);
    expect(suite.upstream.requests.at(-1)!.text()).to.equal(BODY);
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect((Object.prototype as unknown as Record<string, unknown>)['polluted']).to.equal(undefined);
  });

  it('gives plugins a parsed body where __proto__ is an own key and the prototype is untouched', async () => {
    const res = await sendRequest(`${suite.tg.url}/tick/v1/inspect`, {
      headers: { 'x-api-key': suite.tg.key, 'content-type': 'application/json' },
      body: BODY,
    });
    expect(res.status, res.text()).to.equal(200);
    expect(res.json()).to.deep.equal({
      ownKeys: ['model', 'count', '__proto__', 'constructor', 'tools'],
      prototypeIsObjects: true,
      ownProto: { polluted: 'yes' },
      toolOwnKeys: ['__proto__', 'constructor'],
    });
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
  });
});
