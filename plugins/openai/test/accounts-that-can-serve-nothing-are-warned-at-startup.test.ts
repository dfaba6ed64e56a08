/**
 * Issue 15: at startup the gateway warns for every account whose catalog matches no model
 * a loaded route can serve (a typo in `settings.models`), naming the account, and says
 * nothing of accounts that serve their provider's models or were widened with `*`.
 */
import { expect } from 'chai';
import { createTestGateway, type TestGateway } from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { openaiPlugin } from '../src/index.js';

describe('accounts that can serve nothing are warned about at startup', () => {
  let tg: TestGateway | undefined;
  afterEach(async () => {
    await tg?.close();
    tg = undefined;
  });

  it('warns once per account whose models match no known model, and for no other account', async () => {
    const account = (id: string, type: string, models?: string[]) => ({
      id,
      type,
      name: id,
      credentials: { apiKey: `sk-ant-${id}-0123456789` },
      ...(models ? { settings: { models } } : {}),
    });
    tg = await createTestGateway({
      plugins: [claudePlugin, openaiPlugin],
      config: {
        accounts: [
          account('claude-default', 'claude-console'),
          account('claude-sonnet', 'claude-console', ['claude-sonnet-*']),
          account('claude-typo', 'claude-console', ['cluade-sonnet-*']),
          account('compatible-all', 'claude-console', ['*']),
          account('openai-typo', 'openai-api', ['gtp-4.1']),
          account('openai-exact', 'openai-api', ['gpt-4.1-mini']),
        ],
      },
    });
    const warned = tg.logs.filter((line) => line['message'] === 'account can serve no request');
    expect(warned.map((line) => line['account']).sort()).to.deep.equal(['claude-typo', 'openai-typo']);
    expect(String(warned[0]!['reason'])).to.contain('settings.models');
  });
});
