/**
 * Issue 14, item 10 (model rules): a key's model deny list (or allow list) fails closed.
 * Whitespace and case variants of a denied model are judged by their normalised form; a
 * model that is not a plain string (an array, an object, a number), an empty one, or
 * none at all is refused, because the rules cannot judge it. Requests that carry no
 * model by design still pass: routes the plugin answers itself (model lists) and
 * requests the protocol marks `modelless` (setup and status calls).
 */
import { expect } from 'chai';
import { definePlugin, PLUGIN_API_VERSION, secret, z } from '@switchyard/plugin-api';
import { createTestGateway, sendRequest, type TestGateway } from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startCountingUpstream, type CountingUpstream } from '../limits/fixtures/counting-upstream.js';

type ErrorBody = { error: { code: string; message: string } };

/**
 * Next to the tick protocol: a model list answered by the plugin itself, and a
 * `tick-setup` protocol for calls that are not model calls (its describe says so).
 */
const modelFreeRoutesPlugin = definePlugin({
  id: 'tick-setup',
  apiVersion: PLUGIN_API_VERSION,
  protocols: [
    {
      id: 'tick-setup',
      family: 'tick',
      describe: () => ({ stream: false, modelless: true }),
      renderError: (error) => ({ status: error.status, body: { error: { code: error.code, message: error.message } } }),
      usage: { fromJson: () => null, createStreamTap: () => ({ push() {}, end: () => null }) },
    },
  ],
  accountTypes: [
    {
      id: 'tick-setup-upstream',
      label: 'Tick setup calls',
      credentials: z.object({ token: secret(z.string().min(4)) }),
      serves: ['tick-setup'],
      adapter: {
        async send({ request, credentials, http, signal }) {
          const { baseUrl, token } = credentials as { baseUrl: string; token: string };
          const response = await http.request(`${baseUrl}/v1/ticks`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: request.rawBody,
            signal,
          });
          return response;
        },
      },
    },
  ],
  routes: {
    mounts: ['/tick'],
    routes: [
      { method: 'GET', path: '/v1/models', protocol: 'tick', handle: () => ({ status: 200, body: { models: ['tick-1'] } }) },
      { method: 'POST', path: '/v1/setup', protocol: 'tick-setup', operation: 'setup' },
    ],
  },
});

for (const store of ['embedded', 'redis'] as const) {
  describe(`security: a key's model rules refuse what they cannot judge (${store} store)`, function () {
    this.timeout(20_000);
    let upstream: CountingUpstream;
    let tg: TestGateway;

    before(async () => {
      upstream = await startCountingUpstream();
      tg = await createTestGateway({
        store,
        plugins: [tickPlugin, modelFreeRoutesPlugin],
        accounts: [
          { type: 'tick-upstream', name: 'one', credentials: { token: 'tick-token-one', baseUrl: upstream.url } },
          { type: 'tick-setup-upstream', name: 'setup', credentials: { token: 'tick-token-setup', baseUrl: upstream.url } },
        ],
        keys: [
          { name: 'deny', limits: { models: { deny: ['tick-big-*'] } } },
          { name: 'allow', limits: { models: { allow: ['tick-1', 'tick-small-*'] } } },
          { name: 'open' },
        ],
      });
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });

    const send = (key: string, body: unknown, path = '/tick/v1/ticks') =>
      sendRequest(`${tg.url}${path}`, {
        headers: { 'x-api-key': tg.keys[key]!, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    async function expectRefused(key: string, body: unknown, what: string): Promise<ErrorBody['error']> {
      const before = upstream.inputs.length;
      const res = await send(key, body);
      expect(res.status, `${what}: ${res.text()}`).to.equal(403);
      const error = res.json<ErrorBody>().error;
      expect(error.code, what).to.equal('model_not_allowed');
      expect(upstream.inputs.length, `${what} reached upstream`).to.equal(before);
      return error;
    }

    it('refuses whitespace and case variants of a denied model', async () => {
      for (const model of [' tick-big-2', 'tick-big-2 ', '\ttick-big-2\n', 'TICK-Big-2', '\u00a0tick-big-2']) {
        await expectRefused('deny', { model, input: 'x' }, JSON.stringify(model));
      }
      expect((await send('deny', { model: 'tick-1', input: 'x' })).status).to.equal(200);
    });

    it('refuses a model that is not a plain string, an empty or blank one, and a request with none', async () => {
      const bodies: unknown[] = [
        { model: ['tick-big-2'], input: 'x' },
        { model: { id: 'tick-big-2' }, input: 'x' },
        { model: 42, input: 'x' },
        { model: '', input: 'x' },
        { model: '   ', input: 'x' },
        { model: 'tick-big\u00002', input: 'x' },
        { input: 'x' },
        ['not', 'an', 'object'],
      ];
      for (const key of ['deny', 'allow']) {
        for (const body of bodies) {
          const error = await expectRefused(key, body, `${key} ${JSON.stringify(body)}`);
          expect(error.message).to.match(/model/i);
        }
      }
    });

    it('judges an allow list on the normalised model too', async () => {
      expect((await send('allow', { model: ' Tick-1 ', input: 'x' })).status).to.equal(200);
      await expectRefused('allow', { model: ' tick-2', input: 'x' }, 'outside the allow list');
    });

    it('lets through what carries no model by design: model lists and calls the protocol marks modelless', async () => {
      for (const key of ['deny', 'allow']) {
        const list = await sendRequest(`${tg.url}/tick/v1/models`, { headers: { 'x-api-key': tg.keys[key]! } });
        expect(list.status, key).to.equal(200);
        const before = upstream.inputs.length;
        const setup = await send(key, { input: 'setup' }, '/tick/v1/setup');
        expect(setup.status, `${key}: ${setup.text()}`).to.equal(200);
        expect(upstream.inputs.length).to.equal(before + 1);
      }
    });

    it('leaves a key without model rules as it was: a request without a model is relayed', async () => {
      expect((await send('open', { input: 'x' })).status).to.equal(200);
    });
  });
}
