/**
 * The official `openai` SDK through the gateway to a fake Azure OpenAI resource that
 * checks the deployment path, the `api-version` and the `api-key`: chat (unary and
 * streamed), Responses and embeddings, through `/azure/*` with the SDK's `AzureOpenAI`
 * client (as `baseURL` and as `endpoint`) and through the OpenAI routes
 * (`/openai/v1/*`) with the plain `OpenAI` client; usage priced by OpenAI's table, by the
 * model name.
 */
import { expect } from 'chai';
import OpenAI, { AzureOpenAI } from 'openai';
import { createTestGateway, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import openaiPlugin from '@switchyard/plugin-openai';
import azurePlugin from '../src/index.js';
import { AZURE_KEY, startFakeAzure } from './fake-azure-openai.js';

const DEPLOYMENTS = { 'gpt-4o': 'prod-gpt4o', 'text-embedding-3-small': 'prod-embed' };
const messages = [{ role: 'user' as const, content: 'hi' }];

describe('azure plugin through the official openai SDK', () => {
  let fake: FakeUpstream;
  let tg: TestGateway;

  async function start(settings: Record<string, unknown> = {}): Promise<void> {
    tg = await createTestGateway({
      plugins: [openaiPlugin, azurePlugin],
      accounts: [
        {
          type: 'azure-openai',
          name: 'az',
          credentials: { endpoint: fake.url, apiKey: AZURE_KEY },
          settings: { deployments: DEPLOYMENTS, ...settings },
        },
      ],
    });
  }

  beforeEach(async () => {
    fake = await startFakeAzure();
  });
  afterEach(async () => {
    await tg?.close();
    await fake.close();
  });

  const azure = (place: 'baseURL' | 'endpoint') =>
    new AzureOpenAI({
      apiKey: tg.key,
      apiVersion: '2024-06-01',
      maxRetries: 0,
      ...(place === 'baseURL' ? { baseURL: `${tg.url}/azure` } : { endpoint: `${tg.url}/azure` }),
    });
  const openai = () => new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}/openai/v1`, maxRetries: 0 });

  it('AzureOpenAI (baseURL /azure): chat create reaches the deployment with the account api-version and key, filter fields intact', async () => {
    await start();
    const completion = await azure('baseURL').chat.completions.create({ model: 'gpt-4o', messages });
    expect(completion.choices[0]!.message.content).to.equal('Hello from Azure.');
    expect(completion).to.have.property('prompt_filter_results');
    expect(completion.choices[0]).to.have.property('content_filter_results');
    const [request] = fake.requests;
    expect(request!.url).to.equal('/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21');
    expect(request!.headers['api-key']).to.equal(AZURE_KEY);
    expect(request!.headers.authorization).to.equal(undefined);
    const [record] = await tg.usageRecords();
    expect(record!.usage).to.include({ inputTokens: 12, cacheReadTokens: 8, outputTokens: 7, reasoningTokens: 2 });
    // gpt-4o: 12 x 2.5 + 8 x 1.25 + 7 x 10 = 110 micro-dollars
    expect(record!.costMicros).to.equal(110);
    expect(record!.accountType).to.equal('azure-openai');
  });

  it('AzureOpenAI (endpoint /azure): a stream without include_usage is counted, the client sees no usage chunk', async () => {
    await start();
    const stream = await azure('endpoint').chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    let text = '';
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).to.equal('Hello there from Azure');
    expect(
      chunks.some((chunk) => chunk.usage),
      'no usage chunk reaches the client',
    ).to.equal(false);
    expect(chunks[0], 'the prompt-filter chunk is relayed').to.have.property('prompt_filter_results');
    const upstream = fake.requests[0]!.json<{ stream_options?: unknown }>();
    expect(upstream.stream_options).to.deep.equal({ include_usage: true });
    expect(fake.requests[0]!.path).to.equal('/openai/deployments/prod-gpt4o/chat/completions');
    const [record] = await tg.usageRecords();
    expect(record!.usage).to.include({ inputTokens: 12, outputTokens: 7 });
    expect(record!.costMicros).to.equal(110);
  });

  it('AzureOpenAI: a stream that asks for include_usage gets the usage chunk', async () => {
    await start();
    const stream = await azure('baseURL').chat.completions.create({
      model: 'gpt-4o',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: unknown;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage).to.deep.include({ prompt_tokens: 20, completion_tokens: 7 });
    const [record] = await tg.usageRecords();
    expect(record!.costMicros).to.equal(110);
  });

  it('AzureOpenAI: responses and embeddings', async () => {
    await start();
    const response = await azure('baseURL').responses.create({ model: 'gpt-4o', input: 'hi' });
    expect(response.output_text).to.equal('Hello from Azure.');
    const embeddings = await azure('endpoint').embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(embeddings.data).to.have.length(2);
    expect(fake.requests.map((request) => request.url)).to.deep.equal([
      '/openai/responses?api-version=2025-04-01-preview',
      '/openai/deployments/prod-embed/embeddings?api-version=2024-10-21',
    ]);
    expect(fake.requests[0]!.json<{ model: string }>().model, 'Responses take the deployment as model').to.equal('prod-gpt4o');
    const records = await tg.usageRecords({ count: 2 });
    const byProtocol = Object.fromEntries(records.map((record) => [record.protocol, record]));
    expect(byProtocol['openai-responses']!.costMicros).to.equal(110);
    // text-embedding-3-small: 1000 x 0.02 = 20 micro-dollars
    expect(byProtocol['openai-embeddings']!.usage).to.include({ inputTokens: 1000, outputTokens: 0 });
    expect(byProtocol['openai-embeddings']!.costMicros).to.equal(20);
  });

  it('OpenAI client on /openai/v1: chat create and stream, responses stream and embeddings reach the Azure account', async () => {
    await start();
    const completion = await openai().chat.completions.create({ model: 'gpt-4o', messages });
    expect(completion.choices[0]!.message.content).to.equal('Hello from Azure.');
    let text = '';
    for await (const chunk of await openai().chat.completions.create({ model: 'gpt-4o', messages, stream: true })) {
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).to.equal('Hello there from Azure');
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of await openai().responses.create({ model: 'gpt-4o', input: 'hi', stream: true })) {
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(completed?.status).to.equal('completed');
    const embeddings = await openai().embeddings.create({ model: 'text-embedding-3-small', input: 'a' });
    expect(embeddings.data).to.have.length(1);
    expect(fake.requests.map((request) => request.path)).to.deep.equal([
      '/openai/deployments/prod-gpt4o/chat/completions',
      '/openai/deployments/prod-gpt4o/chat/completions',
      '/openai/responses',
      '/openai/deployments/prod-embed/embeddings',
    ]);
    const records = await tg.usageRecords({ count: 4 });
    expect(records.map((record) => record.costMicros).sort((a, b) => a - b)).to.deep.equal([20, 110, 110, 110]);
  });

  it('the v1 API: /openai/v1 paths, no api-version, the deployment as the body model (OpenAI client on /azure/openai/v1)', async () => {
    await start({ api: 'v1' });
    const client = new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}/azure/openai/v1`, maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt-4o', messages });
    await client.responses.create({ model: 'gpt-4o', input: 'hi' });
    await client.embeddings.create({ model: 'text-embedding-3-small', input: 'a' });
    expect(fake.requests.map((request) => [request.url, request.json<{ model: string }>().model])).to.deep.equal([
      ['/openai/v1/chat/completions', 'prod-gpt4o'],
      ['/openai/v1/responses', 'prod-gpt4o'],
      ['/openai/v1/embeddings', 'prod-embed'],
    ]);
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).to.deep.equal(['gpt-4o', 'text-embedding-3-small']);
  });
});
