/**
 * The credentials and settings of a `bedrock` account: an AWS region plus either an IAM
 * access key (signed with SigV4) or a Bedrock API key (sent as a bearer token), and the
 * inference-profile prefix and model mapping that decide which Bedrock model id is called.
 */
import { secret, z, type AccountCredentials } from '@switchyard/plugin-api';

/** The credential schema of a bedrock account. */
export const bedrockCredentialsSchema = z
  .object({
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region such as us-east-1')
      .describe('The AWS region of the Bedrock runtime endpoint (us-east-1, eu-central-1, ...).')
      .meta({ title: 'Region' }),
    accessKeyId: z
      .string()
      .min(16)
      .optional()
      .describe('IAM access key id (AKIA…/ASIA…), signed with SigV4.')
      .meta({ title: 'Access key ID' }),
    secretAccessKey: secret(z.string().min(16))
      .optional()
      .describe('IAM secret access key, with accessKeyId.')
      .meta({ title: 'Secret access key' }),
    sessionToken: secret(z.string().min(16))
      .optional()
      .describe('Session token of temporary credentials (ASIA… keys).')
      .meta({ title: 'Session token' }),
    apiKey: secret(z.string().min(16))
      .optional()
      .describe('A Bedrock API key (sent as Authorization: Bearer), instead of an IAM access key.')
      .meta({ title: 'API key' }),
    baseUrl: z
      .string()
      .url()
      .optional()
      .describe('Runtime endpoint (VPC endpoint, tests); default https://bedrock-runtime.<region>.amazonaws.com.')
      .meta({ title: 'Base URL' }),
  })
  .refine((value) => value.apiKey !== undefined || (value.accessKeyId !== undefined && value.secretAccessKey !== undefined), {
    message: 'give either apiKey or both accessKeyId and secretAccessKey',
  });

/** The decrypted credentials of a bedrock account. */
export type BedrockCredentials = AccountCredentials<typeof bedrockCredentialsSchema>;

/**
 * The inference-profile prefixes Bedrock offers for Claude models (`none`: the in-region
 * model id). Which model has which profile varies (Anthropic's Bedrock page: Sonnet 4.5 and
 * 4.6 and Opus 4.6 also in `jp.`; AWS's model cards: `au.` for Sonnet/Haiku 4.5 and the 4.6
 * and later models); `global.` is priced at list price, the others 10% above for Sonnet 4.5,
 * Haiku 4.5 and later models (see bedrock-pricing.ts).
 */
export const INFERENCE_PROFILES = ['none', 'us', 'eu', 'apac', 'jp', 'au', 'global'] as const;

/** The settings schema of a bedrock account. */
export const bedrockSettingsSchema = z.object({
  inferenceProfile: z
    .enum(INFERENCE_PROFILES)
    .optional()
    .describe(
      'Cross-region inference profile prefixed to table model ids (us., eu., apac., jp., au., global.); none or absent: the in-region id. ' +
        'Newer Claude models are only offered on demand through a profile; global. costs about 10% less than the others.',
    )
    .meta({ title: 'Inference profile' }),
  models: z
    .array(z.string().min(1))
    .optional()
    .describe('Anthropic model ids or * patterns this account serves (absent: every model of the built-in table).')
    .meta({ title: 'Models' }),
  modelMapping: z
    .record(z.string().min(1), z.string().min(1))
    .optional()
    .describe(
      'Requested model id -> Bedrock model id, inference profile id or ARN, sent as written (no prefix added). ' +
        'For models the built-in table does not know, or to override it.',
    )
    .meta({ title: 'Model mapping' }),
});

/** The validated settings of a bedrock account. */
export type BedrockSettings = z.output<typeof bedrockSettingsSchema>;

/** The default runtime endpoint of a region. */
export function defaultBedrockUrl(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}
