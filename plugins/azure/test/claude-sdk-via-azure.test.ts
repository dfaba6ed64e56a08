/**
 * Claude Code on Azure OpenAI: the official `@anthropic-ai/sdk` asks for a Claude model
 * with a key bound to a group holding only an `azure-openai` account; the group's model
 * alias serves it as `gpt-4o` (a deployment of the resource), through the
 * anthropic-messages -> openai-chat translator, against the fake Azure resource (whose
 * streams start with a `prompt_filter_results` chunk).
 */
import { expect } from 'chai';
import Anthropic from '@anthropic-ai/sdk';
import { createTestGateway, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import claudePlugin from '@switchyard/plugin-claude';
import openaiPlugin from '@switchyard/plugin-openai';
import azurePlugin from '../src/index.js';
import { AZURE_KEY, startFakeAzure } from './fake-azure-openai.js';

describe('Claude clients served by an Azure OpenAI deployment (model alias + translator)', () => {
  let fake: FakeUpstream;
  let tg: TestGateway;
  let client: Anthropic;

  beforeEach(async () => {
    fake = await startFakeAzure();
    tg = await createTestGateway({
      plugins: [claudePlugin, openaiPlugin, azurePlugin],
      config: { groups: [{ id: 'azure', name: 'Azure', modelAliases: { 'claude-*': 'gpt-4o' } }] },
      accounts: [
        {
          type: 'azure-openai',
          name: 'az',
          groups: ['azure'],
          credentials: { endpoint: fake.url, apiKey: AZURE_KEY },
          settings: { deployments: { 'gpt-4o': 'prod-gpt4o' } },
        },
      ],
      keys: [{ name: 'team', limits: { binding: { group: 'azure' } } }],
    });
    client = new Anthropic({ apiKey: tg.key, baseURL: tg.url, maxRetries: 0 });
  });
  afterEach(async () => {
    await tg.close();
    await fake.close();
  });

  it('streams and answers unary through the deployment; usage names requested and served model', async () => {
    const stream = client.messages.stream({
      model: 'claude-opus-4-8',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const message = await stream.finalMessage();
    expect(message.content).to.deep.equal([{ type: 'text', text: 'Hello there from Azure' }]);
    expect(message.stop_reason).to.equal('end_turn');
    expect(message.usage).to.deep.include({ input_tokens: 12, cache_read_input_tokens: 8, output_tokens: 7 });
    const unary = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(unary.content).to.deep.equal([{ type: 'text', text: 'Hello from Azure.' }]);
    expect(fake.requests.map((request) => request.path)).to.deep.equal([
      '/openai/deployments/prod-gpt4o/chat/completions',
      '/openai/deployments/prod-gpt4o/chat/completions',
    ]);
    const records = await tg.usageRecords({ count: 2 });
    expect(records.map((record) => [record.requestedModel, record.model, record.accountType]).sort()).to.deep.equal([
      ['claude-haiku-4-5', 'gpt-4o', 'azure-openai'],
      ['claude-opus-4-8', 'gpt-4o', 'azure-openai'],
    ]);
  });
});
