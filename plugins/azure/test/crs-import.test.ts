/**
 * `switchyard import crs` with this plugin: the claude-relay-service fixture
 * (core/test/fixtures/crs, made with the reference's encryption) in a real Redis, imported
 * into a gateway; the reference's Azure OpenAI records become azure-openai accounts (decrypted and
 * valid for the type's schema), and a second import changes nothing.
 */
import { describeCrsImport } from '@switchyard/core/testing';
import openaiPlugin from '@switchyard/plugin-openai';
import { azurePlugin } from '../src/index.js';

describeCrsImport({
  name: 'import crs into a gateway with the azure plugin',
  plugins: [openaiPlugin, azurePlugin],
  accounts: [
    { source: 'azure', type: 'azure-openai', settings: { deployments: { 'gpt-4o': 'gpt-4o' }, apiVersion: '2024-02-01' } },
  ],
  claimedPrefixes: ['azure_openai:account:*'],
  redisDb: 9,
});
