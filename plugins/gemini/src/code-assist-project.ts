/**
 * Code Assist project discovery: `loadCodeAssist` tells the user's tier and project;
 * without a current tier the user is onboarded (`onboardUser`, a long-running operation
 * polled a bounded number of times) on the default tier.
 */
import { UpstreamError, type HttpClient, joinUrl, originOf, isRecord, nonEmptyString } from '@switchyard/plugin-api';
import type { GeminiOptions } from './gemini-options.js';

const METADATA = { ideType: 'IDE_UNSPECIFIED', platform: 'PLATFORM_UNSPECIFIED', pluginType: 'GEMINI' };

/** What discovery found. */
export interface CodeAssistProject {
  projectId: string;
  tier?: string;
}

function projectOf(value: unknown): string | undefined {
  return nonEmptyString(value) ?? (isRecord(value) ? nonEmptyString(value.id) : undefined);
}

/** Calls one Code Assist method and returns its JSON body; non-2xx answers throw. */
export async function callCodeAssist(
  http: HttpClient,
  endpoint: string,
  path: string,
  token: string,
  signal: AbortSignal,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const url = joinUrl(endpoint, path);
  const response = await http.request(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal,
  });
  const parsed: unknown = await response.json().catch(() => undefined);
  if (response.status >= 400 || !isRecord(parsed)) {
    const kind = response.status === 401 ? 'auth_failed' : response.status === 403 ? 'forbidden' : 'upstream_5xx';
    throw new UpstreamError(kind, `Code Assist ${originOf(url)} answered ${response.status} on ${path.split('/').pop()}`, {
      status: response.status,
    });
  }
  return parsed;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** Finds (or onboards) the Code Assist project of the token's user. */
export async function discoverProject(
  http: HttpClient,
  options: GeminiOptions,
  endpoint: string,
  token: string,
  signal: AbortSignal,
  knownProject?: string,
): Promise<CodeAssistProject> {
  const version = options.codeAssistApiVersion;
  const loaded = await callCodeAssist(http, endpoint, `/${version}:loadCodeAssist`, token, signal, {
    ...(knownProject ? { cloudaicompanionProject: knownProject } : {}),
    metadata: { ...METADATA, ...(knownProject ? { duetProject: knownProject } : {}) },
  });
  const current = isRecord(loaded.currentTier) ? nonEmptyString(loaded.currentTier.id) : undefined;
  const found = projectOf(loaded.cloudaicompanionProject) ?? knownProject;
  if (current && found) return { projectId: found, tier: current };

  const tiers = Array.isArray(loaded.allowedTiers) ? loaded.allowedTiers.filter(isRecord) : [];
  const tierId = current ?? nonEmptyString(tiers.find((tier) => tier.isDefault === true)?.id) ?? 'free-tier';
  let operation = await callCodeAssist(http, endpoint, `/${version}:onboardUser`, token, signal, {
    tierId,
    ...(knownProject ? { cloudaicompanionProject: knownProject } : {}),
    metadata: METADATA,
  });
  for (let poll = 0; operation.done !== true && poll < options.onboardMaxPolls && !signal.aborted; poll += 1) {
    const name = nonEmptyString(operation.name);
    if (!name) break;
    await pause(options.onboardPollIntervalMs, signal);
    operation = await callCodeAssist(http, endpoint, `/${version}/${name}`, token, signal);
  }
  const onboarded = isRecord(operation.response) ? projectOf(operation.response.cloudaicompanionProject) : undefined;
  if (operation.done !== true || !(onboarded ?? knownProject)) {
    throw new UpstreamError('forbidden', 'Code Assist onboarding did not give a project (set projectId on the account)');
  }
  return { projectId: (onboarded ?? knownProject)!, tier: tierId };
}
