/**
 * Model lists (issue 15 part 4): `GET …/v1/models` on every route family lists the union
 * of what the accounts this key may use serve for the route's protocol (natively or
 * through a translator, as selection does), from their catalogs and mappings, with
 * patterns expanded against the ids the plugins know: real ids only, never a guessed one.
 * The key's binding and its own model rules narrow the list.
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, startFakeUpstream, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { geminiPlugin } from '@switchyard/plugin-gemini';
import { openaiPlugin } from '../src/index.js';

/** Ids no provider serves: the Claude plugin's old default list guessed them. */
const GUESSED = ['claude-sonnet-5-5', 'claude-haiku-5-5'];

interface Lists {
  anthropic: string[];
  openai: string[];
  openaiClaude: string[];
  gemini: string[];
}

describe('model lists name only what the accounts a key may use really serve', () => {
  let upstream: FakeUpstream;
  let tg: TestGateway | undefined;

  beforeEach(async () => {
    // No list request may reach an upstream: answering 500 would show up as a failed list.
    upstream = await startFakeUpstream((_req, res) => {
      res.writeHead(500).end();
    });
  });
  afterEach(async () => {
    await tg?.close();
    tg = undefined;
    await upstream.close();
  });

  async function start(
    claudeSettings: Record<string, unknown>,
    withOpenAi = true,
    store: 'embedded' | 'redis' = 'embedded',
  ): Promise<TestGateway> {
    tg = await createTestGateway({
      store,
      keys: [
        { name: 'default' },
        { name: 'claude-only', limits: { binding: { account: 'team-claude' } } },
        { name: 'no-mini', limits: { models: { deny: ['*-mini*'] } } },
      ],
      plugins: [claudePlugin, openaiPlugin, geminiPlugin],
      accounts: [
        {
          id: 'team-claude',
          type: 'claude-console',
          name: 'team claude',
          credentials: { apiKey: 'sk-ant-lists-0123456789', baseUrl: upstream.url },
          settings: claudeSettings,
        },
        ...(withOpenAi
          ? [
              {
                id: 'team-openai',
                type: 'openai-api',
                name: 'team openai',
                credentials: { apiKey: 'sk-openai-lists-0123456789', baseUrl: upstream.url },
              },
            ]
          : []),
      ],
    });
    return tg;
  }

  async function lists(gateway: TestGateway, key = gateway.key): Promise<Lists> {
    const get = async (path: string) => {
      const response = await sendRequest(`${gateway.url}${path}`, {
        method: 'GET',
        headers: { authorization: `Bearer ${key}`, 'x-goog-api-key': key },
      });
      expect(response.status, `${path}: ${response.text()}`).to.equal(200);
      return response.json<Record<string, unknown>>();
    };
    const anthropic = (await get('/api/v1/models')) as { data: { type: string; id: string }[]; has_more: boolean };
    expect(anthropic.has_more).to.equal(false);
    anthropic.data.forEach((entry) => expect(entry.type).to.equal('model'));
    const openaiIds = async (path: string) => {
      const body = (await get(path)) as { object: string; data: { id: string; object: string }[] };
      expect(body.object).to.equal('list');
      return body.data.map((entry) => entry.id);
    };
    const gemini = (await get('/gemini/v1beta/models')) as { models: { name: string }[] };
    return {
      anthropic: anthropic.data.map((entry) => entry.id),
      openai: await openaiIds('/openai/v1/models'),
      openaiClaude: await openaiIds('/openai/claude/v1/models'),
      gemini: gemini.models.map((entry) => entry.name.replace(/^models\//, '')),
    };
  }

  it('a Claude account narrowed to claude-sonnet-* lists only real Sonnet ids', async () => {
    const gateway = await start({ models: ['claude-sonnet-*'] }, false);
    const listed = await lists(gateway);
    expect(listed.anthropic).to.include.members(['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-6']);
    expect(
      listed.anthropic.every((id) => id.startsWith('claude-sonnet-')),
      listed.anthropic.join(', '),
    ).to.equal(true);
    expect(listed.anthropic).to.not.include.members(GUESSED);
    expect(listed.anthropic.some((id) => id.includes('*'))).to.equal(false);
    // The chat routes reach the Claude account through the translator: the same ids.
    expect(listed.openai).to.deep.equal(listed.anthropic);
    expect(listed.openaiClaude).to.deep.equal(listed.anthropic);
    expect(listed.gemini).to.deep.equal([]);
  });

  it('a Claude account without models lists the known Claude ids, never a guessed one', async () => {
    const gateway = await start({}, false);
    const { anthropic } = await lists(gateway);
    expect(anthropic).to.include.members([
      'claude-opus-4-5',
      'claude-sonnet-4-6',
      'claude-haiku-4-5',
      'claude-haiku-4-5-20251001',
      'claude-3-5-haiku-20241022',
    ]);
    expect(anthropic.every((id) => id.startsWith('claude-'))).to.equal(true);
    expect(anthropic).to.not.include.members(GUESSED);
  });

  it('mapped names and exact ids in settings.models are listed; patterns only expand to known ids', async () => {
    const gateway = await start(
      { models: ['claude-haiku-*', 'glm-4.6', 'kimi-*'], modelMapping: { 'team-fast': 'claude-haiku-4-5' } },
      false,
    );
    const { anthropic } = await lists(gateway);
    expect(anthropic).to.include.members(['glm-4.6', 'team-fast', 'claude-haiku-4-5']);
    expect(anthropic.filter((id) => !id.startsWith('claude-haiku-'))).to.have.members(['glm-4.6', 'team-fast']);
  });

  for (const store of ['embedded', 'redis'] as const) {
    it(`a mixed team: each route family lists what can serve its protocol, as selection does (${store} store)`, async () => {
      const gateway = await start({}, true, store);
      await expectMixedTeamLists(gateway);
    });
  }

  async function expectMixedTeamLists(gateway: TestGateway): Promise<void> {
    const listed = await lists(gateway);
    // Anthropic route: the Claude account natively, the OpenAI account through the
    // anthropic-messages -> openai-chat translator (Claude Code on an OpenAI account).
    expect(listed.anthropic).to.include.members(['claude-sonnet-4-6', 'gpt-5', 'o3']);
    expect(listed.anthropic.every((id) => !id.startsWith('gemini-'))).to.equal(true);
    expect(listed.anthropic).to.not.include.members(GUESSED);
    // OpenAI route: OpenAI's own ids, plus Claude's through the chat -> Anthropic translator.
    expect(listed.openai).to.include.members(['gpt-4.1-mini', 'gpt-5', 'o3', 'claude-sonnet-4-6']);
    expect(listed.openai.every((id) => !id.startsWith('gemini-'))).to.equal(true);
    expect(listed.openai).to.not.include.members(GUESSED);
    // The forced-Claude route lists only what serves anthropic-messages.
    expect(listed.openaiClaude).to.deep.equal(listed.anthropic);
    // No Gemini account: the Gemini list is empty.
    expect(listed.gemini).to.deep.equal([]);
  }

  it("a key bound to the Claude account lists only that account's models", async () => {
    const gateway = await start({});
    const listed = await lists(gateway, gateway.keys['claude-only']!);
    expect(listed.openai.length).to.be.greaterThan(0);
    expect(
      listed.openai.every((id) => id.startsWith('claude-')),
      listed.openai.join(', '),
    ).to.equal(true);
  });

  it("the key's own model rules narrow the list", async () => {
    const gateway = await start({});
    const listed = await lists(gateway, gateway.keys['no-mini']!);
    expect(listed.openai).to.include.members(['gpt-4.1', 'gpt-5']);
    expect(listed.openai.filter((id) => id.includes('-mini'))).to.deep.equal([]);
  });
});
