/**
 * Issue 15 part 5: one timestamp convention and one meaning of `baseUrl` for every
 * account type. A JSON config file declaring claude-oauth, gemini-oauth and openai-codex
 * accounts whose `expiresAt` are ISO 8601 (and whose `baseUrl`s carry a trailing version a
 * user may well write) starts, and each account serves a request against its fake
 * upstream at the right path. Epoch milliseconds are still accepted and normalised, stored
 * epoch numbers stay readable, and refreshed tokens are written with ISO 8601 expiries.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  createTestGateway,
  createTestHttpClient,
  sendRequest,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { geminiPlugin } from '@switchyard/plugin-gemini';
import { openaiPlugin } from '../src/index.js';
import { startFakeCodex } from './fake-codex-backend.js';
import { startFakeCodeAssist } from '../../gemini/test/fake-code-assist.js';
import { startFakeAnthropic } from '../../claude/test/fake-anthropic-upstream.js';

const CLAUDE_ACCESS = 'sk-ant-oat01-config-access-token-123';
const ISO_EXPIRY = '2099-01-01T00:00:00Z';

describe('OAuth accounts from a JSON config: ISO 8601 expiresAt, one baseUrl meaning', () => {
  let anthropic: FakeUpstream;
  let codeAssist: Awaited<ReturnType<typeof startFakeCodeAssist>>;
  let codex: Awaited<ReturnType<typeof startFakeCodex>>;
  let folder: string;
  let tg: TestGateway | undefined;

  beforeEach(async () => {
    anthropic = await startFakeAnthropic({ credential: CLAUDE_ACCESS, intervalMs: 1 });
    codeAssist = await startFakeCodeAssist();
    codex = await startFakeCodex();
    folder = mkdtempSync(join(tmpdir(), 'switchyard-iso-expiry-'));
  });
  afterEach(async () => {
    await tg?.close();
    tg = undefined;
    await Promise.all([anthropic.close(), codeAssist.close(), codex.close()]);
    rmSync(folder, { recursive: true, force: true });
  });

  /** The config file a user writes: ISO 8601 expiries, base URLs ending in their API version. */
  function writeConfig(): string {
    const file = join(folder, 'switchyard.config.json');
    writeFileSync(
      file,
      JSON.stringify(
        {
          accounts: [
            {
              id: 'max',
              type: 'claude-oauth',
              name: 'max',
              credentials: {
                accessToken: CLAUDE_ACCESS,
                refreshToken: 'sk-ant-ort01-config-refresh',
                expiresAt: ISO_EXPIRY,
                baseUrl: `${anthropic.url}/v1`,
              },
            },
            {
              id: 'google',
              type: 'gemini-oauth',
              name: 'google',
              credentials: {
                accessToken: 'ya29.initial-token',
                refreshToken: '1//refresh-token',
                expiresAt: '2099-01-01T02:00:00+02:00',
                projectId: 'fake-project-123',
                baseUrl: `${codeAssist.url}/v1internal/`,
              },
            },
            {
              id: 'codex',
              type: 'openai-codex',
              name: 'codex',
              credentials: {
                accessToken: 'codex-access-1',
                refreshToken: 'codex-refresh-1',
                expiresAt: ISO_EXPIRY,
                accountId: 'acct-42',
                baseUrl: `${codex.url}/backend-api/codex/`,
              },
            },
          ],
        },
        null,
        2,
      ),
    );
    return file;
  }

  it('starts and serves a request on each account, at the upstream path without a doubled version', async () => {
    const config = JSON.parse(readFileSync(writeConfig(), 'utf8')) as { accounts: [] };
    tg = await createTestGateway({ plugins: [claudePlugin, geminiPlugin, openaiPlugin], config });

    const claude = await sendRequest(`${tg.url}/api/v1/messages`, {
      headers: { 'x-api-key': tg.key },
      body: { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(claude.status, claude.text()).to.equal(200);
    expect(anthropic.requests.map((request) => request.path)).to.deep.equal(['/v1/messages']);

    const gemini = await sendRequest(`${tg.url}/gemini/v1internal:generateContent`, {
      headers: { authorization: `Bearer ${tg.key}` },
      body: { model: 'gemini-2.5-pro', request: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] } },
    });
    expect(gemini.status, gemini.text()).to.equal(200);
    expect(codeAssist.requests.map((request) => request.path)).to.deep.equal(['/v1internal:generateContent']);

    const responses = await sendRequest(`${tg.url}/openai/v1/responses`, {
      headers: { authorization: `Bearer ${tg.key}` },
      body: { model: 'gpt-5', input: 'hi' },
    });
    expect(responses.status, responses.text()).to.equal(200);
    expect(codex.requests.map((request) => request.path)).to.deep.equal(['/backend-api/codex/responses']);
    // No account was refreshed: an expiry in 2099 is read as such, whatever its offset.
    expect(codeAssist.requests.some((request) => request.path === '/token')).to.equal(false);
    expect(codex.requests.some((request) => request.path === '/oauth/token')).to.equal(false);
  });

  it('stores every expiresAt as ISO 8601 in UTC, given ISO 8601 or epoch milliseconds', async () => {
    tg = await createTestGateway({ plugins: [claudePlugin, geminiPlugin, openaiPlugin] });
    const epoch = Date.UTC(2099, 0, 1);
    for (const id of ['claude-oauth', 'gemini-oauth', 'openai-codex']) {
      const schema = tg.gateway.registry.accountType(id)!.credentialSchema;
      for (const expiresAt of [epoch, '2099-01-01T00:00:00Z', '2099-01-01T01:00:00+01:00']) {
        const parsed = schema.safeParse({ accessToken: 'a-token-1', refreshToken: 'r-token-1', accountId: 'acct-42', expiresAt });
        expect(parsed.success, `${id} ${String(expiresAt)}`).to.equal(true);
        expect(parsed.data, id).to.have.property('expiresAt', '2099-01-01T00:00:00.000Z');
      }
      expect(
        schema.safeParse({ accessToken: 'a-token-1', refreshToken: 'r-token-1', accountId: 'acct-42', expiresAt: 'next week' })
          .success,
        id,
      ).to.equal(false);
    }
  });

  it('reads expiries stored as epoch numbers before the convention, and writes refreshed ones as ISO 8601', async () => {
    const options = {
      gemini: {
        oauth: { clientId: 'test-client.apps.example', clientSecret: 'not-secret', tokenUrl: `${codeAssist.url}/token` },
        codeAssistEndpoint: codeAssist.url,
      },
      openai: {
        codex: {
          clientId: 'codex-test-client',
          tokenUrl: `${codex.url}/oauth/token`,
          endpoint: `${codex.url}/backend-api/codex`,
        },
      },
    };
    const plugins = [claudePlugin, geminiPlugin, openaiPlugin];
    tg = await createTestGateway({ plugins, config: { pluginOptions: options } });
    const typeOf = (id: string) => tg!.gateway.registry.accountType(id)!.definition;
    const now = new Date();
    const base = { accessToken: 'old', refreshToken: 'old-refresh', projectId: 'p', accountId: 'acct-42' };
    for (const id of ['claude-oauth', 'gemini-oauth', 'openai-codex']) {
      const refresh = typeOf(id).refresh!;
      expect(refresh.isDue({ ...base, expiresAt: now.getTime() + 60_000 }, now), `${id} epoch soon`).to.equal(true);
      expect(refresh.isDue({ ...base, expiresAt: now.getTime() + 86_400_000 }, now), `${id} epoch later`).to.equal(false);
      expect(
        refresh.isDue({ ...base, expiresAt: new Date(now.getTime() + 60_000).toISOString() }, now),
        `${id} ISO soon`,
      ).to.equal(true);
      expect(
        refresh.isDue({ ...base, expiresAt: new Date(now.getTime() + 86_400_000).toISOString() }, now),
        `${id} ISO later`,
      ).to.equal(false);
    }
    const http = createTestHttpClient();
    const signal = new AbortController().signal;
    const context = (credentials: Record<string, unknown>) => ({ credentials, http, signal }) as never;
    const gemini = await typeOf('gemini-oauth').refresh!.refresh(
      context({ accessToken: 'old', refreshToken: '1//refresh-token', expiresAt: 0, projectId: 'p' }),
    );
    const codexTokens = await typeOf('openai-codex').refresh!.refresh(
      context({ accessToken: 'old', refreshToken: 'codex-refresh-1', expiresAt: 0, accountId: 'acct-42' }),
    );
    for (const changes of [gemini, codexTokens]) {
      expect(changes.expiresAt)
        .to.be.a('string')
        .and.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Date.parse(String(changes.expiresAt))).to.be.greaterThan(now.getTime());
    }
  });
});
