/**
 * Bedrock's errors through the gateway: each reaches the client in Anthropic's shape,
 * and the account reacts by its kind: throttling cools down with AWS's retry hint,
 * credential exceptions are auth_failed, a model the account has no access to is named
 * with its region, a ValidationException is the client's 400 (no cooldown), and
 * count_tokens goes to Bedrock's CountTokens (a clear 404 where it is not offered).
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { bedrockPlugin } from '../src/index.js';
import { FAKE_API_KEY, FAKE_COUNT, startFakeBedrock, writeBedrockError } from './fake-bedrock.js';

const BODY = { model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] };

describe('bedrock errors through the gateway', function () {
  this.timeout(20_000);
  let fake: FakeUpstream;
  let tg: TestGateway;

  beforeEach(async () => {
    fake = await startFakeBedrock({ kind: 'apiKey', apiKey: FAKE_API_KEY });
    tg = await createTestGateway({
      plugins: [claudePlugin, bedrockPlugin],
      accounts: [
        {
          type: 'bedrock',
          name: 'b',
          settings: { inferenceProfile: 'eu' },
          credentials: { region: 'eu-central-1', apiKey: FAKE_API_KEY, baseUrl: fake.url },
        },
      ],
    });
  });
  afterEach(async () => {
    await tg.close();
    await fake.close();
  });

  const send = (path = '/api/v1/messages', body: unknown = BODY) =>
    sendRequest(`${tg.url}${path}`, { headers: { 'x-api-key': tg.key, 'anthropic-version': '2023-06-01' }, body });
  const state = async () => (await tg.gateway.store.accountState.getMany([tg.accountIds[0]!])).get(tg.accountIds[0]!);
  const cooledWith = (kind: string) => waitFor(async () => ((await state())?.cooldownKind === kind ? true : undefined));

  it('passes a ValidationException to the client as its 400, in Anthropic shape, without cooling the account down', async () => {
    fake.setHandler((_req, res) => writeBedrockError(res, 400, 'ValidationException', 'messages.0.content: Field required'));
    const res = await send();
    expect(res.status).to.equal(400);
    expect(res.json()).to.deep.equal({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'Bedrock 400 (validation): messages.0.content: Field required' },
    });
    await tg.gateway.settled();
    expect((await state())?.cooldownKind).to.equal(undefined);
    // The account still serves the next request.
    fake.setHandler((_req, res) => writeBedrockError(res, 400, 'ValidationException', 'again'));
    expect((await send()).status).to.equal(400);
    expect(fake.requests).to.have.length(2);
  });

  it('cools a throttled account down for as long as the retry-after AWS sent, and the client gets 429', async () => {
    fake.setHandler((_req, res) => {
      res.setHeader('retry-after', '300');
      writeBedrockError(res, 429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
    });
    const res = await send();
    expect(res.status).to.equal(429);
    expect(res.json()).to.have.nested.property('error.type', 'rate_limit_error');
    await cooledWith('rate_limited');
    const until = (await state())!.coolingDownUntil!;
    // Longer than the configured rate-limit cooldown (60 s), so AWS's hint decides.
    expect(until - Date.now()).to.be.within(290_000, 301_000);
  });

  for (const exception of ['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException']) {
    it(`treats ${exception} as auth_failed`, async () => {
      fake.setHandler((_req, res) =>
        writeBedrockError(res, 403, exception, 'The security token included in the request is invalid.'),
      );
      const res = await send();
      expect(res.status).to.equal(403);
      expect(res.json()).to.have.nested.property('error.type', 'authentication_error');
      await cooledWith('auth_failed');
    });
  }

  it('names the model and region when the account has no access to the model', async () => {
    fake.setHandler((_req, res) =>
      writeBedrockError(res, 403, 'AccessDeniedException', "You don't have access to the model with the specified model ID."),
    );
    const res = await send();
    expect(res.status).to.equal(403);
    const error = (res.json() as { error: { type: string; message: string } }).error;
    expect(error.type).to.equal('permission_error');
    expect(error.message).to.include('eu.anthropic.claude-sonnet-4-5-20250929-v1:0').and.include('eu-central-1');
    await cooledWith('forbidden');
  });

  it('answers 404 naming model and region when Bedrock does not know the model id', async () => {
    fake.setHandler((_req, res) =>
      writeBedrockError(res, 400, 'ValidationException', 'The provided model identifier is invalid.'),
    );
    const res = await send();
    expect(res.status).to.equal(404);
    const error = (res.json() as { error: { type: string; message: string } }).error;
    expect(error.type).to.equal('not_found_error');
    expect(error.message).to.include('eu.anthropic.claude-sonnet-4-5-20250929-v1:0').and.include('eu-central-1');
  });

  it('says to set the inference profile when Bedrock offers the model only through one', async () => {
    fake.setHandler((_req, res) =>
      writeBedrockError(
        res,
        400,
        'ValidationException',
        "Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
      ),
    );
    const res = await send();
    expect(res.status).to.equal(400);
    const error = (res.json() as { error: { type: string; message: string } }).error;
    expect(error.type).to.equal('invalid_request_error');
    expect(error.message).to.include('inferenceProfile').and.include('eu-central-1');
  });

  it('treats ServiceUnavailableException as overloaded', async () => {
    fake.setHandler((_req, res) => writeBedrockError(res, 503, 'ServiceUnavailableException', 'Service unavailable.'));
    const res = await send();
    expect(res.status).to.equal(503);
    await cooledWith('overloaded');
  });

  it("counts tokens with Bedrock's CountTokens, on the foundation-model id", async () => {
    const res = await send('/api/v1/messages/count_tokens', {
      model: 'claude-sonnet-4-5',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.status, res.text()).to.equal(200);
    expect(res.json()).to.deep.equal({ input_tokens: FAKE_COUNT });
    const sent = fake.requests[0]!;
    // The account's eu. profile is dropped: CountTokens takes bare model ids.
    expect(sent.path).to.equal('/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/count-tokens');
    const encoded = sent.json<{ input: { invokeModel: { body: string } } }>().input.invokeModel.body;
    expect(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'))).to.deep.equal({
      anthropic_version: 'bedrock-2023-05-31',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 1,
    });
  });

  it('answers count_tokens with a 404 in Anthropic shape naming model and region where Bedrock does not offer it, without cooldown', async () => {
    fake.setHandler((_req, res) =>
      writeBedrockError(res, 400, 'ValidationException', "The provided model doesn't support counting tokens."),
    );
    const res = await send('/api/v1/messages/count_tokens', {
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.status).to.equal(404);
    const error = (res.json() as { error: { type: string; message: string } }).error;
    expect(error.type).to.equal('not_found_error');
    expect(error.message).to.include('anthropic.claude-sonnet-4-5-20250929-v1:0').and.include('eu-central-1');
    await tg.gateway.settled();
    expect((await state())?.cooldownKind).to.equal(undefined);
  });

  it('refuses a model outside the catalog before calling Bedrock', async () => {
    const res = await send('/api/v1/messages', { ...BODY, model: 'claude-opus-9-9' });
    expect(res.status).to.be.within(400, 404);
    expect(fake.requests).to.have.length(0);
  });
});
