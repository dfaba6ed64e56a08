/**
 * How claude-relay-service Azure OpenAI accounts (`azure_openai:account:{id}`, salt
 * `azure-openai-account-default-salt`) become `azure-openai` accounts
 * (`switchyard import crs`): the endpoint and key, and the one deployment as the model
 * it serves. Keys bind through `azureOpenaiAccountId`.
 */
import type { AccountImport } from '@switchyard/plugin-api';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Azure OpenAI accounts. */
export const azureOpenAiCrsImport: AccountImport = {
  source: 'crs',
  keyPrefix: 'azure_openai:account:',
  salt: 'azure-openai-account-default-salt',
  keyBindings: [{ field: 'azureOpenaiAccountId' }],
  map(record, decrypt) {
    const apiKey = decrypt(record.apiKey);
    if (!apiKey) return { skip: 'its API key cannot be decrypted (wrong --encryption-key?)' };
    const endpoint = text(record.azureEndpoint).trim().replace(/\/+$/, '');
    const deployment = text(record.deploymentName).trim();
    if (!endpoint || !deployment) return { skip: 'it has no endpoint or deployment name' };
    let models: string[] = [];
    try {
      const parsed: unknown = JSON.parse(text(record.supportedModels) || '[]');
      if (Array.isArray(parsed)) models = parsed.filter((m): m is string => typeof m === 'string' && m !== '');
    } catch {
      models = [];
    }
    const apiVersion = text(record.apiVersion).trim();
    // The reference sent every request to its one deployment: each model it listed maps there.
    const deployments = Object.fromEntries((models.length > 0 ? models : [deployment]).map((model) => [model, deployment]));
    return { credentials: { endpoint, apiKey }, settings: { deployments, ...(apiVersion ? { apiVersion } : {}) } };
  },
};
