/**
 * Issue 14, item 1: an account cools down only for what its upstream did. A request the
 * gateway cannot even send (a header the HTTP client refuses, an adapter bug) is the
 * gateway's fault: answered 500 in the protocol's shape, with every account left
 * available. `Expect: 100-continue` (curl adds it to bodies over 1 MB) is not forwarded.
 */
import { expect } from 'chai';
import { callUpstream, definePlugin, PLUGIN_API_VERSION, secret, z } from '@switchyard/plugin-api';
import { createTestGateway, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startTickUpstream } from '../fixtures/tick-upstream.js';
import { sendLikeCurl } from '../fixtures/send-like-curl.js';

/**
 * An account type for the `tick` protocol whose adapter does what real adapters do: it
 * copies a client-chosen value (the body's `session`) into an upstream header, and
 * goes through the contract's `callUpstream`, which wraps what the HTTP client throws.
 * A session with a line break makes the HTTP client refuse the header; a session that
 * is not a string makes the adapter itself throw a TypeError before anything is sent.
 */
const sessionHeaderPlugin = definePlugin({
  id: 'tick-session',
  apiVersion: PLUGIN_API_VERSION,
  accountTypes: [
    {
      id: 'tick-session-upstream',
      label: 'Tick upstream with a session header',
      credentials: z.object({ token: secret(z.string().min(4)) }),
      serves: ['tick'],
      adapter: {
        send({ request, credentials, http: client, signal }) {
          const { baseUrl, token } = credentials as { baseUrl: string; token: string };
          const session = (request.body as { session?: unknown }).session;
          const headers: Record<string, string> = {
            ...request.headers,
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
          };
          // A bug of the kind adapters have: assumes the client sent a string.
          if (session !== undefined) headers['x-tick-session'] = (session as string).trim();
          return callUpstream(client, `${baseUrl}/v1/ticks`, { method: 'POST', headers, body: request.rawBody, signal }, 'tick');
        },
      },
    },
  ],
});

async function post(
  tg: TestGateway,
  body: unknown,
): Promise<{ status: number; json: { error?: { code: string; message: string } } }> {
  const res = await fetch(`${tg.url}/tick/v1/ticks`, {
    method: 'POST',
    headers: { 'x-api-key': tg.key, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { error?: { code: string; message: string } } };
}

/** Account ids that are cooling down now, with the kind they cooled down for. */
async function coolingDown(tg: TestGateway): Promise<string[]> {
  const states = await tg.gateway.store.accountState.getMany(tg.accountIds);
  const now = Date.now();
  return [...states]
    .filter(([, state]) => (state.coolingDownUntil ?? 0) > now)
    .map(([id, state]) => `${id}:${state.cooldownKind}`);
}

for (const store of ['embedded', 'redis'] as const) {
  describe(`security: a request the gateway cannot send never cools an account down (${store} store)`, function () {
    this.timeout(20_000);
    let upstream: FakeUpstream;
    let tg: TestGateway;

    before(async () => {
      upstream = await startTickUpstream({ intervalMs: 0 });
    });
    after(async () => {
      await upstream.close();
    });
    afterEach(async () => {
      await tg?.close();
    });

    /** Accounts `one` and `two` of `type`, both on the fake upstream. */
    const twoAccounts = (type: string) => [
      { type, name: 'one', credentials: { token: 'tick-token-one', baseUrl: upstream.url } },
      { type, name: 'two', credentials: { token: 'tick-token-two', baseUrl: upstream.url } },
    ];
    /** A gateway whose two accounts put the body's `session` into an upstream header. */
    const startSessionHeaderGateway = () =>
      createTestGateway({ plugins: [tickPlugin, sessionHeaderPlugin], store, accounts: twoAccounts('tick-session-upstream') });

    it('relays a curl-like request with Expect: 100-continue and a 1.5 MB body, without forwarding Expect', async () => {
      tg = await createTestGateway({
        plugins: [tickPlugin],
        store,
        accounts: twoAccounts('tick-upstream'),
        config: { server: { bodyLimitMb: 4 } },
      });
      const input = 'x'.repeat(1_500_000);
      const body = Buffer.from(JSON.stringify({ model: 'tick-1', count: 1, input }));
      const before = upstream.requests.length;
      const answer = await sendLikeCurl(`${tg.url}/tick/v1/ticks`, { 'x-api-key': tg.key }, body);
      expect(answer.status, answer.body).to.equal(200);
      expect(answer.sawContinue).to.equal(true);
      expect(JSON.parse(answer.body)).to.deep.include({ ticks: 1 });
      const seen = upstream.requests.slice(before);
      expect(seen).to.have.length(1);
      expect(seen[0]!.headers.expect).to.equal(undefined);
      expect(seen[0]!.body.length).to.equal(body.length);
      expect(await coolingDown(tg)).to.deep.equal([]);
    });

    it('answers 500 internal_error for a header the HTTP client refuses, cools nothing down, and keeps serving', async () => {
      tg = await startSessionHeaderGateway();
      const before = upstream.requests.length;
      const refused = await post(tg, { model: 'tick-1', count: 1, session: 'line\nbreak' });
      expect(refused.status).to.equal(500);
      expect(refused.json.error?.code).to.equal('internal_error');
      expect(upstream.requests.length, 'nothing was sent upstream').to.equal(before);
      expect(await coolingDown(tg)).to.deep.equal([]);
      // Both accounts still serve.
      for (let index = 0; index < 2; index += 1) {
        expect((await post(tg, { model: 'tick-1', count: 1, session: `ok-${index}` })).status).to.equal(200);
      }
      expect(await coolingDown(tg)).to.deep.equal([]);
    });

    it('answers 500 internal_error when the adapter throws a TypeError before sending, and cools nothing down', async () => {
      tg = await startSessionHeaderGateway();
      const before = upstream.requests.length;
      for (let index = 0; index < 3; index += 1) {
        const refused = await post(tg, { model: 'tick-1', count: 1, session: 42 });
        expect(refused.status).to.equal(500);
        expect(refused.json.error?.code).to.equal('internal_error');
        expect(refused.json.error?.message).not.to.match(/trim|TypeError/);
      }
      expect(upstream.requests.length).to.equal(before);
      expect(await coolingDown(tg)).to.deep.equal([]);
      expect((await post(tg, { model: 'tick-1', count: 1 })).status).to.equal(200);
    });
  });
}
