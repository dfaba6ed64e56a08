/**
 * Every account type of the bundled plugins gives each credential and settings field a
 * title, so the admin's generated forms read "API key" and "Base URL" (issue 20): checked
 * through the admin API the forms are built from.
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, type TestGateway } from '@switchyard/core/testing';
import { azurePlugin } from '@switchyard/plugin-azure';
import { bedrockPlugin } from '@switchyard/plugin-bedrock';
import { ccrPlugin } from '@switchyard/plugin-ccr';
import { claudePlugin } from '@switchyard/plugin-claude';
import { droidPlugin } from '@switchyard/plugin-droid';
import { geminiPlugin } from '@switchyard/plugin-gemini';
import { openaiPlugin } from '@switchyard/plugin-openai';

const ADMIN = { username: 'operator', password: 'titles-password-1' };

interface FormSchema {
  properties?: Record<string, { title?: string; description?: string }>;
}

describe('plugin account forms: titles and descriptions', () => {
  let tg: TestGateway;
  before(async () => {
    tg = await createTestGateway({
      plugins: [azurePlugin, bedrockPlugin, ccrPlugin, claudePlugin, droidPlugin, geminiPlugin, openaiPlugin],
      keys: [],
      config: { admin: ADMIN, logging: { level: 'warn' } },
    });
  });
  after(async () => tg?.close());

  it('titles every credential and settings field of every bundled account type', async () => {
    const token = (await sendRequest(`${tg.url}/admin/api/login`, { body: ADMIN })).json<{ token: string }>().token;
    const types = (
      await sendRequest(`${tg.url}/admin/api/account-types`, { headers: { authorization: `Bearer ${token}` } })
    ).json<{ id: string; credentialsSchema: FormSchema; settingsSchema: FormSchema }[]>();
    expect(types.length).to.be.at.least(9);
    const untitled: string[] = [];
    for (const type of types) {
      for (const [part, schema] of [
        ['credentials', type.credentialsSchema],
        ['settings', type.settingsSchema],
      ] as const) {
        for (const [name, field] of Object.entries(schema.properties ?? {})) {
          if (!field.title) untitled.push(`${type.id} ${part}.${name}`);
        }
      }
    }
    expect(untitled).to.deep.equal([]);
    const openai = types.find((type) => type.id === 'openai-api')!;
    expect(openai.credentialsSchema.properties?.['apiKey']?.title).to.equal('API key');
    expect(openai.credentialsSchema.properties?.['baseUrl']?.title).to.equal('Base URL');
  });
});
