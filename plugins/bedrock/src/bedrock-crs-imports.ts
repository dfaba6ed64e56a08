/**
 * How claude-relay-service Bedrock accounts (`bedrock_account:{id}`, one JSON string;
 * credentials in an `{encrypted, iv}` object) become `bedrock` accounts
 * (`switchyard import crs`). Keys bind through `bedrockAccountId`.
 */
import type { AccountImport } from '@switchyard/plugin-api';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function parseObject(value: string | undefined): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = value ? JSON.parse(value) : undefined;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Bedrock accounts (IAM access key or Bedrock API key). */
export const bedrockCrsImport: AccountImport = {
  source: 'crs',
  keyPrefix: 'bedrock_account:',
  layout: 'json',
  salt: 'salt',
  keyBindings: [{ field: 'bedrockAccountId' }],
  map(record, decrypt) {
    const region = text(record.region) || 'us-east-1';
    if (text(record.credentialType) === 'bearer_token') {
      const opened = decrypt(record.bearerToken);
      const token = text(parseObject(opened)?.token) || opened;
      if (!token) return { skip: 'its bearer token cannot be decrypted (wrong --encryption-key?)' };
      return { credentials: { region, apiKey: token } };
    }
    const aws = parseObject(decrypt(record.awsCredentials));
    const accessKeyId = text(aws?.accessKeyId);
    const secretAccessKey = text(aws?.secretAccessKey);
    if (!accessKeyId || !secretAccessKey) return { skip: 'its AWS credentials cannot be decrypted (wrong --encryption-key?)' };
    const sessionToken = text(aws?.sessionToken);
    return { credentials: { region, accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } };
  },
};
