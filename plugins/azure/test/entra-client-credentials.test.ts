/**
 * Entra ID client credentials on `azure-openai` accounts: the token exchange against a
 * fake Microsoft identity platform token endpoint on 127.0.0.1 (form, scope, errors), and
 * end to end through the gateway to the fake Azure resource, which accepts only the
 * tokens the fake endpoint issued: the first request fetches a token, later ones reuse it,
 * a token five minutes from expiry (on an injected clock) is replaced, two gateway
 * instances sharing a store fetch one token, and neither the client secret nor a token
 * reaches a log line, an answer or the stored account unencrypted.
 */
import { expect } from 'chai';
import {
  ManualClock,
  createMemoryKv,
  createTestGateway,
  silentLogger,
  createTestHttpClient,
  sendRequest,
  waitFor,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import { UpstreamError } from '@switchyard/plugin-api';
import openaiPlugin from '@switchyard/plugin-openai';
import azurePlugin from '../src/index.js';
import { azureOpenAiAccountType } from '../src/azure-openai-account-type.js';
import {
  COGNITIVE_SERVICES_SCOPE,
  DEFAULT_AUTHORITY_HOST,
  authModeOf,
  entraTokenUrl,
  fetchEntraToken,
  isEntraTokenDue,
} from '../src/entra-client-credentials.js';
import { azureOpenAiCredentialsSchema, type AzureOpenAiCredentials } from '../src/azure-settings.js';
import { ENTRA_APP, startFakeEntra, type FakeEntra } from './fake-entra.js';
import { startFakeAzure } from './fake-azure-openai.js';

const DEPLOYMENTS = { 'gpt-4o': 'prod-gpt4o' };
const MINUTE = 60_000;

describe('azure-openai with Entra ID client credentials', function () {
  this.timeout(30_000);
  let entra: FakeEntra;
  let azure: FakeUpstream;
  const gateways: TestGateway[] = [];

  beforeEach(async () => {
    entra = await startFakeEntra();
    const issued = entra.issued;
    // The resource accepts exactly the tokens the identity platform issued.
    azure = await startFakeAzure({ bearerToken: (token) => issued.includes(token) });
  });
  afterEach(async () => {
    for (const tg of gateways.splice(0).reverse()) await tg.close();
    await azure.close();
    await entra.close();
  });

  const clientCredentials = () => ({
    endpoint: azure.url,
    tenantId: ENTRA_APP.tenantId,
    clientId: ENTRA_APP.clientId,
    clientSecret: ENTRA_APP.clientSecret,
    authorityHost: entra.url,
  });

  describe('the token exchange', () => {
    it('builds the tenant token URL on the public cloud or the given authority host', () => {
      expect(entraTokenUrl({ tenantId: 'contoso.onmicrosoft.com' })).to.equal(
        `${DEFAULT_AUTHORITY_HOST}/contoso.onmicrosoft.com/oauth2/v2.0/token`,
      );
      expect(entraTokenUrl({ tenantId: 't', authorityHost: 'https://login.microsoftonline.us/' })).to.equal(
        'https://login.microsoftonline.us/t/oauth2/v2.0/token',
      );
    });

    it('posts the client credentials grant with the Cognitive Services scope and reads the token and its lifetime', async () => {
      const http = createTestHttpClient();
      try {
        const credentials = azureOpenAiCredentialsSchema.parse(clientCredentials()) as AzureOpenAiCredentials;
        const now = Date.parse('2026-12-07T12:00:00Z');
        const token = await fetchEntraToken({ credentials, http, signal: AbortSignal.timeout(10_000) }, () => now);
        expect(token).to.deep.equal({ accessToken: entra.issued[0], expiresAt: '2026-12-07T12:59:59.000Z' });
        const [request] = entra.requests;
        expect(request!.path).to.equal(`/${ENTRA_APP.tenantId}/oauth2/v2.0/token`);
        expect(Object.fromEntries(new URLSearchParams(request!.body.toString('utf8')))).to.deep.equal({
          grant_type: 'client_credentials',
          client_id: ENTRA_APP.clientId,
          client_secret: ENTRA_APP.clientSecret,
          scope: COGNITIVE_SERVICES_SCOPE,
        });
      } finally {
        await http.close();
      }
    });

    it('turns a refused secret into auth_failed naming only the origin, never the secret', async () => {
      const http = createTestHttpClient();
      try {
        const credentials = azureOpenAiCredentialsSchema.parse({
          ...clientCredentials(),
          clientSecret: 'a-wrong-secret-7f3e9b1c',
        }) as AzureOpenAiCredentials;
        const error = await fetchEntraToken({ credentials, http, signal: AbortSignal.timeout(10_000) }).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).to.be.instanceOf(UpstreamError);
        expect((error as UpstreamError).kind).to.equal('auth_failed');
        expect((error as UpstreamError).message)
          .to.include('invalid_client')
          .and.include(new URL(entra.url).origin);
        expect((error as UpstreamError).message).to.not.include('a-wrong-secret');
      } finally {
        await http.close();
      }
    });

    it('is due without a token, and five minutes before expiry; never for key or static-token accounts', () => {
      const now = new Date('2026-12-07T12:00:00Z');
      const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
      const base = azureOpenAiCredentialsSchema.parse(clientCredentials()) as AzureOpenAiCredentials;
      expect(authModeOf(base)).to.equal('clientCredentials');
      expect(isEntraTokenDue(base, now)).to.equal(true);
      expect(isEntraTokenDue({ ...base, accessToken: 'tok', expiresAt: at(6 * MINUTE) }, now)).to.equal(false);
      expect(isEntraTokenDue({ ...base, accessToken: 'tok', expiresAt: at(5 * MINUTE) }, now)).to.equal(true);
      expect(isEntraTokenDue({ ...base, accessToken: 'tok' }, now)).to.equal(true);
      expect(isEntraTokenDue({ endpoint: 'https://r.openai.azure.com', apiKey: 'k' }, now)).to.equal(false);
      expect(isEntraTokenDue({ endpoint: 'https://r.openai.azure.com', bearerToken: 't' }, now)).to.equal(false);
    });

    it("the probe fetches a token and lists the resource's models with it; a refused secret is ok: false", async () => {
      const http = createTestHttpClient();
      try {
        const probe = azureOpenAiAccountType.probe!;
        const context = (clientSecret: string) => ({
          credentials: azureOpenAiCredentialsSchema.parse({ ...clientCredentials(), clientSecret }) as AzureOpenAiCredentials,
          account: {
            id: 'a',
            type: 'azure-openai',
            name: 'az',
            priority: 50,
            groups: [],
            settings: { deployments: DEPLOYMENTS },
          },
          http,
          signal: AbortSignal.timeout(10_000),
          log: silentLogger,
          kv: createMemoryKv(),
        });
        expect(await probe(context(ENTRA_APP.clientSecret))).to.include({ ok: true });
        expect(azure.requests.at(-1)!.headers.authorization).to.equal(`Bearer ${entra.issued[0]}`);
        const refused = await probe(context('a-wrong-secret-5a6b7c8d'));
        expect(refused.ok).to.equal(false);
        expect(JSON.stringify(refused)).to.include('invalid_client').and.not.include('a-wrong-secret');
      } finally {
        await http.close();
      }
    });

    it('refuses half a set of client credentials when the account is written', () => {
      const result = azureOpenAiCredentialsSchema.safeParse({
        endpoint: 'https://r.openai.azure.com',
        tenantId: 't',
        clientId: 'c',
      });
      expect(result.success).to.equal(false);
    });
  });

  describe('through the gateway', () => {
    async function gateway(clock?: ManualClock): Promise<TestGateway> {
      const tg = await createTestGateway({
        plugins: [openaiPlugin, azurePlugin],
        ...(clock ? { clock } : {}),
        accounts: [
          { type: 'azure-openai', name: 'az-entra', credentials: clientCredentials(), settings: { deployments: DEPLOYMENTS } },
        ],
      });
      gateways.push(tg);
      return tg;
    }
    const chat = (tg: TestGateway, key = tg.key) =>
      sendRequest(`${tg.url}/azure/chat/completions`, {
        headers: { 'api-key': key, 'content-type': 'application/json' },
        body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
      });

    it('fetches a token, sends it as Authorization: Bearer, reuses it, and replaces it five minutes before expiry', async () => {
      const clock = new ManualClock();
      const tg = await gateway(clock);
      for (let i = 0; i < 3; i += 1) {
        const res = await chat(tg);
        expect(res.status, res.text()).to.equal(200);
      }
      expect(entra.issued).to.have.length(1);
      expect(azure.requests.map((req) => req.headers.authorization)).to.deep.equal(
        Array.from({ length: 3 }, () => `Bearer ${entra.issued[0]}`),
      );
      expect(azure.requests[0]!.headers['api-key']).to.equal(undefined);

      // 3599 s tokens: 50 minutes on, still fresh; 56 minutes on, within five minutes of expiry (the token's
      // expiry is reckoned from the wall clock when it was fetched, a few seconds after the test clock started).
      await clock.advance(50 * MINUTE);
      expect((await chat(tg)).status).to.equal(200);
      expect(entra.issued).to.have.length(1);
      await clock.advance(6 * MINUTE);
      const res = await chat(tg);
      expect(res.status, res.text()).to.equal(200);
      expect(entra.issued).to.have.length(2);
      expect(azure.requests.at(-1)!.headers.authorization).to.equal(`Bearer ${entra.issued[1]}`);

      await tg.gateway.settled();
      const everything = JSON.stringify([tg.logs, tg.printed, await tg.gateway.store.accounts.list()]);
      for (const secret of [ENTRA_APP.clientSecret, ...entra.issued]) expect(everything).to.not.include(secret);
    });

    it('cools the account down as auth_failed when Entra refuses the secret, and tells the client in its shape', async () => {
      const tg = await createTestGateway({
        plugins: [openaiPlugin, azurePlugin],
        accounts: [
          {
            type: 'azure-openai',
            name: 'az-entra',
            credentials: { ...clientCredentials(), clientSecret: 'a-revoked-secret-0c9d8e7f' },
            settings: { deployments: DEPLOYMENTS },
          },
        ],
      });
      gateways.push(tg);
      const res = await chat(tg);
      expect(res.status).to.be.within(400, 599);
      expect(res.json<{ error: { message: string } }>().error.message).to.be.a('string');
      expect(azure.requests).to.have.length(0);
      const state = await waitFor(async () => {
        const found = (await tg.gateway.store.accountState.getMany([tg.accountIds[0]!])).get(tg.accountIds[0]!);
        return found?.cooldownKind === 'auth_failed' ? found : undefined;
      });
      expect(state.cooldownKind).to.equal('auth_failed');
      expect(JSON.stringify([tg.logs, res.text()])).to.not.include('a-revoked-secret');
    });

    it('fetches one token for requests arriving at two instances sharing a store', async () => {
      const config = { security: { encryptionKey: 'azure-entra-instances-key-0123456789abcdef' } };
      const one = await createTestGateway({
        plugins: [openaiPlugin, azurePlugin],
        store: 'redis',
        config,
        keys: [{ name: 'shared', plaintext: 'sy_shared_azure_entra_key_0123456789' }],
        accounts: [
          { type: 'azure-openai', name: 'az-entra', credentials: clientCredentials(), settings: { deployments: DEPLOYMENTS } },
        ],
      });
      gateways.push(one);
      const two = await createTestGateway({
        plugins: [openaiPlugin, azurePlugin],
        config: { ...config, store: one.gateway.config.store },
        keys: [],
      });
      gateways.push(two);
      const answers = await Promise.all([chat(one, one.key), chat(two, one.key), chat(one, one.key), chat(two, one.key)]);
      for (const res of answers) expect(res.status, res.text()).to.equal(200);
      expect(entra.issued, 'one token for both instances').to.have.length(1);
      expect(new Set(azure.requests.map((req) => req.headers.authorization))).to.deep.equal(
        new Set([`Bearer ${entra.issued[0]}`]),
      );
    });
  });
});
