/**
 * The admin's "test" for a bedrock account: a call that checks the credentials without
 * running a model. It invokes the account's Haiku 4.5 id with an empty body: Bedrock
 * checks the signature (or API key) and the model access before it validates the body,
 * so a ValidationException (400) or an unknown model (404) proves the credentials work
 * and costs nothing, while UnrecognizedClient/InvalidSignature/AccessDenied say what is wrong.
 */
import { headerValue, type AccountContext, type ProbeResult } from '@switchyard/plugin-api';
import type { BedrockCredentials } from './bedrock-credentials.js';
import { ERROR_TYPE_HEADER, exceptionName } from './bedrock-errors.js';
import { bedrockModelId } from './bedrock-models.js';
import { authorizedHeaders, bedrockRoot, bedrockUrl } from './bedrock-request.js';

/** The model the probe addresses (through the account's mapping and inference profile). */
const PROBE_MODEL = 'claude-haiku-4-5-20251001';

/** Probes the account's credentials. Never throws. */
export async function probeBedrock({
  credentials,
  account,
  http,
  signal,
}: AccountContext<BedrockCredentials>): Promise<ProbeResult> {
  const modelId = bedrockModelId(PROBE_MODEL, account) ?? `anthropic.${PROBE_MODEL}-v1:0`;
  let root: string;
  try {
    root = bedrockRoot(credentials);
  } catch {
    return { ok: false, message: 'the baseUrl is not a valid URL' };
  }
  const url = bedrockUrl(root, modelId, 'invoke');
  try {
    const body = '{}';
    const headers = await authorizedHeaders(credentials, url, body, 'application/json');
    const response = await http.request(url, { method: 'POST', headers, body, signal });
    await response.text();
    const name = exceptionName(headerValue(response.headers[ERROR_TYPE_HEADER]));
    const accepted = response.status === 400 || response.status === 404 || name === 'validation' || name === 'resourcenotfound';
    if ((response.status >= 200 && response.status < 300) || accepted) {
      return { ok: true, message: `Bedrock accepted the credentials in ${credentials.region}` };
    }
    if (name === 'accessdenied') {
      return { ok: false, message: `Bedrock denied access to ${modelId} in ${credentials.region} (model access or IAM policy)` };
    }
    return { ok: false, message: `Bedrock answered ${response.status}${name ? ` (${name})` : ''} in ${credentials.region}` };
  } catch {
    return { ok: false, message: `${new URL(root).origin} is unreachable` };
  }
}
