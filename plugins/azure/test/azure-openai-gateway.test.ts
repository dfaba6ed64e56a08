/**
 * The `azure-openai` account type in a gateway, against the fake Azure resource: the
 * client's bytes, the deployments as the catalog, the bearer token, errors (a
 * content-filter refusal is the client's, a 429 cools down until Azure's
 * `retry-after-ms`), pricing by the model name, and the OpenAI plugin it needs.
 */
import { expect } from 'chai';
import {
  createTestGateway,
  sendRequest,
  startFakeUpstream,
  waitFor,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import openaiPlugin from '@switchyard/plugin-openai';
import azurePlugin from '../src/index.js';
import { AZURE_KEY, startFakeAzure, writeAzureChatUnary, writeAzureError } from './fake-azure-openai.js';

const DEPLOYMENTS = { 'gpt-4o': 'prod-gpt4o', 'text-embedding-3-small': 'prod-embed' };

describe('azure-openai accounts in a gateway', () => {
  let fake: FakeUpstream | undefined;
  let tg: TestGateway | undefined;

  async function start(
    options: {
      fake?: Parameters<typeof startFakeAzure>[0];
      credentials?: Record<string, unknown>;
      settings?: Record<string, unknown>;
    } = {},
  ): Promise<{ fake: FakeUpstream; tg: TestGateway }> {
    fake = await startFakeAzure(options.fake);
    tg = await createTestGateway({
      plugins: [openaiPlugin, azurePlugin],
      accounts: [
        {
          type: 'azure-openai',
          name: 'az',
          credentials: options.credentials ?? { endpoint: fake.url, apiKey: AZURE_KEY },
          settings: { deployments: DEPLOYMENTS, ...options.settings },
        },
      ],
    });
    return { fake, tg };
  }
  afterEach(async () => {
    await tg?.close();
    await fake?.close();
    tg = undefined;
    fake = undefined;
  });

  const headers = (gw: TestGateway) => ({ 'api-key': gw.key, 'content-type': 'application/json' });
  const accountState = async (gw: TestGateway) =>
    (await gw.gateway.store.accountState.getMany([gw.accountIds[0]!])).get(gw.accountIds[0]!);

  it("sends the client's bytes unchanged on the classic chat path, and a changed body only where Azure reads the model", async () => {
    const { fake, tg } = await start();
    const chat = '{ "model" : "gpt-4o",\n  "messages": [{"role":"user","content":"caf\\u00e9 \\/ x"}], "extra_field": 1 }';
    const res = await sendRequest(`${tg.url}/azure/chat/completions`, { headers: headers(tg), body: chat });
    expect(res.status, res.text()).to.equal(200);
    expect(fake.requests[0]!.text()).to.equal(chat);
    const responses = '{"model":"gpt-4o", "input":"caf\\u00e9", "extra_field":1}';
    const second = await sendRequest(`${tg.url}/azure/responses`, { headers: headers(tg), body: responses });
    expect(second.status, second.text()).to.equal(200);
    expect(fake.requests[1]!.json()).to.deep.equal({ model: 'prod-gpt4o', input: 'café', extra_field: 1 });
  });

  it('serves exactly the models its deployments map, and lists them on /azure/models', async () => {
    const { fake, tg } = await start();
    const res = await sendRequest(`${tg.url}/azure/chat/completions`, {
      headers: headers(tg),
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(res.status, res.text()).to.be.within(400, 499);
    expect(fake.requests).to.have.length(0);
    const models = await sendRequest(`${tg.url}/azure/models`, { headers: { 'api-key': tg.key } });
    expect(models.json<{ data: { id: string }[] }>().data.map((model) => model.id)).to.deep.equal([
      'gpt-4o',
      'text-embedding-3-small',
    ]);
  });

  it('sends an Entra ID bearer token as Authorization: Bearer, and accepts an endpoint ending with /openai/', async () => {
    const token = 'entra-access-token-8b2f4c6d1e3a5079';
    const fakeServer = await startFakeAzure({ bearerToken: token });
    fake = fakeServer;
    tg = await createTestGateway({
      plugins: [openaiPlugin, azurePlugin],
      accounts: [
        {
          type: 'azure-openai',
          name: 'az',
          credentials: { endpoint: `${fakeServer.url}/openai/`, bearerToken: token },
          settings: { deployments: DEPLOYMENTS },
        },
      ],
    });
    const res = await sendRequest(`${tg.url}/azure/chat/completions`, {
      headers: headers(tg),
      body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(res.status, res.text()).to.equal(200);
    expect(fakeServer.requests[0]!.headers.authorization).to.equal(`Bearer ${token}`);
    expect(fakeServer.requests[0]!.headers['api-key']).to.equal(undefined);
    expect(fakeServer.requests[0]!.path).to.equal('/openai/deployments/prod-gpt4o/chat/completions');
  });

  it('passes a content-filter refusal to the client as Azure sent it, without cooling the account down', async () => {
    const { fake, tg } = await start();
    const refusal = JSON.stringify({
      error: {
        message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          content_filter_result: { hate: { filtered: true, severity: 'high' } },
        },
      },
    });
    fake.setHandler((_req, res) => void res.writeHead(400, { 'content-type': 'application/json' }).end(refusal));
    const res = await sendRequest(`${tg.url}/azure/chat/completions`, {
      headers: headers(tg),
      body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'something filtered' }] },
    });
    expect(res.status).to.equal(400);
    expect(res.text()).to.equal(refusal);
    await tg.gateway.settled();
    const state = await accountState(tg);
    expect(state?.cooldownKind).to.equal(undefined);
    expect(state?.coolingDownUntil ?? 0).to.be.at.most(Date.now());
  });

  for (const [name, headersOf429, expectedMs] of [
    ['retry-after-ms (preferred to retry-after)', { 'retry-after-ms': '150000', 'retry-after': '90' }, 150_000],
    ['retry-after alone', { 'retry-after': '120' }, 120_000],
  ] as const) {
    it(`cools a 429 down as rate_limited until Azure's ${name} says`, async () => {
      const { fake, tg } = await start();
      fake.setHandler((_req, res) => {
        for (const [header, value] of Object.entries(headersOf429)) res.setHeader(header, value);
        writeAzureError(res, 429, '429', 'Requests to the ChatCompletions_Create Operation have exceeded call rate limit.');
      });
      const before = Date.now();
      const res = await sendRequest(`${tg.url}/azure/chat/completions`, {
        headers: headers(tg),
        body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
      });
      expect(res.status).to.equal(429);
      const state = await waitFor(async () => {
        const found = await accountState(tg);
        return found?.cooldownKind === 'rate_limited' ? found : undefined;
      });
      expect(state.coolingDownUntil! - before).to.be.within(expectedMs - 1_000, expectedMs + 5_000);
    });
  }

  it('prices by the model name when an answer names the deployment instead (unary and stream)', async () => {
    const { tg } = await start({ fake: { deployments: { 'prod-gpt4o': 'prod-gpt4o' } } });
    for (const stream of [false, true]) {
      const res = await sendRequest(`${tg.url}/azure/chat/completions`, {
        headers: headers(tg),
        body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream },
      });
      expect(res.status, res.text()).to.equal(200);
    }
    const records = await tg.usageRecords({ count: 2 });
    for (const record of records) {
      expect(record.usage.model).to.equal('gpt-4o');
      expect(record.pricedAs).to.equal('gpt-4o');
      // gpt-4o: 12 x 2.5 + 8 x 1.25 + 7 x 10 = 110 micro-dollars
      expect(record.costMicros, `stream: ${record.stream}`).to.equal(110);
    }
  });

  it('passes a missing deployment (404 DeploymentNotFound) to the client, without cooling the account down', async () => {
    const { tg } = await start({ settings: { deployments: { 'gpt-4o': 'no-such-deployment' } } });
    const res = await sendRequest(`${tg.url}/azure/chat/completions`, {
      headers: headers(tg),
      body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(res.status).to.equal(404);
    expect(res.json<{ error: { code: string } }>().error.code).to.equal('DeploymentNotFound');
    await tg.gateway.settled();
    expect((await accountState(tg))?.cooldownKind).to.equal(undefined);
  });

  it('keeps the /azure routes to Azure accounts, while the OpenAI routes may pick another account for the model', async () => {
    const azureFake = await startFakeAzure();
    fake = azureFake;
    const openaiFake = await startFakeUpstream((_req, res) => writeAzureChatUnary(res));
    try {
      tg = await createTestGateway({
        plugins: [openaiPlugin, azurePlugin],
        accounts: [
          // The OpenAI key comes first by priority: only the route filter sends /azure requests past it.
          {
            type: 'openai-api',
            name: 'oa',
            priority: 1,
            credentials: { apiKey: 'sk-openai-0123456789', baseUrl: openaiFake.url },
          },
          {
            type: 'azure-openai',
            name: 'az',
            priority: 50,
            credentials: { endpoint: azureFake.url, apiKey: AZURE_KEY },
            settings: { deployments: DEPLOYMENTS },
          },
        ],
      });
      const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
      for (const path of [
        '/azure/chat/completions',
        '/azure/deployments/gpt-4o/chat/completions',
        '/openai/v1/chat/completions',
      ]) {
        const res = await sendRequest(`${tg.url}${path}`, { headers: headers(tg), body });
        expect(res.status, res.text()).to.equal(200);
      }
      expect(azureFake.requests, 'both /azure requests').to.have.length(2);
      expect(openaiFake.requests, 'the /openai request').to.have.length(1);
    } finally {
      await openaiFake.close();
    }
  });

  it('refuses a deployments key that is not a model name when the account is written', async () => {
    let failure: unknown;
    try {
      tg = await createTestGateway({
        plugins: [openaiPlugin, azurePlugin],
        accounts: [
          {
            type: 'azure-openai',
            name: 'az',
            credentials: { endpoint: 'http://127.0.0.1:9', apiKey: AZURE_KEY },
            settings: { deployments: { 'gpt 4o*': 'prod' } },
          },
        ],
      });
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.include('deployments');
  });

  it('needs the OpenAI plugin: without it the gateway refuses to start and names the missing protocol', async () => {
    let failure: unknown;
    try {
      tg = await createTestGateway({ plugins: [azurePlugin] });
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.include('openai-chat');
  });
});
