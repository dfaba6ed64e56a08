/**
 * A fake Azure OpenAI resource for the tests: a real HTTP server on 127.0.0.1 that checks
 * what Azure checks (the `api-key` header or bearer token, the deployment in the path or
 * the body, the `api-version`) and answers like Azure: chat completions whose streams
 * start with a `prompt_filter_results` chunk and carry `content_filter_results`, the
 * usage chunk only when asked for, the Responses API, embeddings, the model list, and
 * Azure's error JSON.
 */
import type http from 'node:http';
import { startFakeUpstream, writeSse, type FakeUpstream, type RecordedRequest, type SseFrame } from '@switchyard/core/testing';

/** The key the fake accepts by default. */
export const AZURE_KEY = 'azure-resource-key-3f9a1c7e5b2d4068';

/** What every chat answer reports: 20 prompt tokens (8 cached), 7 completion tokens (2 reasoning). */
export const CHAT_USAGE = {
  prompt_tokens: 20,
  completion_tokens: 7,
  total_tokens: 27,
  prompt_tokens_details: { cached_tokens: 8 },
  completion_tokens_details: { reasoning_tokens: 2 },
} as const;

/** What every Responses answer reports. */
export const RESPONSES_USAGE = {
  input_tokens: 20,
  input_tokens_details: { cached_tokens: 8 },
  output_tokens: 7,
  output_tokens_details: { reasoning_tokens: 2 },
  total_tokens: 27,
} as const;

/** What every embeddings answer reports. */
export const EMBEDDINGS_USAGE = { prompt_tokens: 1000, total_tokens: 1000 } as const;

/** Azure's content-filter verdict on a prompt or a completion. */
const FILTER = {
  hate: { filtered: false, severity: 'safe' },
  self_harm: { filtered: false, severity: 'safe' },
  sexual: { filtered: false, severity: 'safe' },
  violence: { filtered: false, severity: 'safe' },
};

/** A unary chat completion as Azure answers it. */
export function azureChatCompletion(model = 'gpt-4o-2024-11-20', text = 'Hello from Azure.'): Record<string, unknown> {
  return {
    id: 'chatcmpl-az1',
    object: 'chat.completion',
    created: 1_764_000_000,
    model,
    system_fingerprint: 'fp_azure',
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: FILTER }],
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: null },
        finish_reason: 'stop',
        content_filter_results: FILTER,
      },
    ],
    usage: CHAT_USAGE,
  };
}

/** Writes a unary chat completion. */
export function writeAzureChatUnary(res: http.ServerResponse, model?: string): void {
  res
    .writeHead(200, { 'content-type': 'application/json', 'apim-request-id': 'req-az-1' })
    .end(JSON.stringify(azureChatCompletion(model)));
}

/**
 * The frames of a streamed chat completion as Azure sends them: the prompt-filter chunk
 * (`choices: []`, `model: ""`), the words with their filter results, the finish, the
 * usage chunk when `withUsage`, `[DONE]`.
 */
export function azureChatFrames(options: { model?: string; text?: string; withUsage?: boolean } = {}): SseFrame[] {
  const base = {
    id: 'chatcmpl-az2',
    object: 'chat.completion.chunk',
    created: 1_764_000_000,
    model: options.model ?? 'gpt-4o-2024-11-20',
  };
  const words = (options.text ?? 'Hello there from Azure').split(/(?<= )/);
  const frames: SseFrame[] = [
    { data: { ...base, model: '', choices: [], prompt_filter_results: [{ prompt_index: 0, content_filter_results: FILTER }] } },
    {
      data: {
        ...base,
        choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, content_filter_results: {} }],
        usage: null,
      },
    },
    ...words.map((word) => ({
      data: {
        ...base,
        choices: [{ index: 0, delta: { content: word }, finish_reason: null, content_filter_results: FILTER }],
        usage: null,
      },
    })),
    { data: { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop', content_filter_results: {} }], usage: null } },
  ];
  if (options.withUsage !== false) frames.push({ data: { ...base, choices: [], usage: CHAT_USAGE } });
  frames.push({ data: '[DONE]' });
  return frames;
}

/** Streams a chat completion, `intervalMs` (default 30) between frames. */
export function writeAzureChatStream(
  res: http.ServerResponse,
  options: { model?: string; text?: string; withUsage?: boolean; intervalMs?: number } = {},
): Promise<void> {
  return writeSse(res, azureChatFrames(options), { intervalMs: options.intervalMs ?? 30 });
}

/** A Responses object. */
export function azureResponse(
  model = 'gpt-4o-2024-11-20',
  text = 'Hello from Azure.',
  status = 'completed',
): Record<string, unknown> {
  return {
    id: 'resp_az1',
    object: 'response',
    created_at: 1_764_000_000,
    status,
    model,
    output: [
      {
        id: 'msg_1',
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text, annotations: [] }],
      },
    ],
    usage: RESPONSES_USAGE,
  };
}

/** Writes a unary Responses answer. */
export function writeAzureResponsesUnary(res: http.ServerResponse, model?: string): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(azureResponse(model)));
}

/** The typed frames of a streamed Responses answer. */
export function azureResponsesFrames(model = 'gpt-4o-2024-11-20', text = 'Hello there from Azure'): SseFrame[] {
  let seq = 0;
  const frame = (type: string, data: Record<string, unknown>): SseFrame => ({
    event: type,
    data: { type, sequence_number: seq++, ...data },
  });
  const item = { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] };
  return [
    frame('response.created', { response: { ...azureResponse(model, '', 'in_progress'), output: [], usage: null } }),
    frame('response.output_item.added', { output_index: 0, item }),
    ...text
      .split(/(?<= )/)
      .map((delta) => frame('response.output_text.delta', { item_id: 'msg_1', output_index: 0, content_index: 0, delta })),
    frame('response.output_text.done', { item_id: 'msg_1', output_index: 0, content_index: 0, text }),
    frame('response.completed', { response: azureResponse(model, text) }),
  ];
}

/** Streams a Responses answer. */
export function writeAzureResponsesStream(
  res: http.ServerResponse,
  options: { model?: string; intervalMs?: number } = {},
): Promise<void> {
  return writeSse(res, azureResponsesFrames(options.model), { intervalMs: options.intervalMs ?? 30 });
}

/** Writes an embeddings answer, one vector per input. */
export function writeAzureEmbeddings(res: http.ServerResponse, inputs = 1, model = 'text-embedding-3-small'): void {
  const data = Array.from({ length: inputs }, (_, index) => ({ object: 'embedding', index, embedding: [0.25, -0.5, 0.125] }));
  res
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify({ object: 'list', data, model, usage: EMBEDDINGS_USAGE }));
}

/** Writes Azure's error JSON (`{ error: { code, message } }`) with `status`. */
export function writeAzureError(res: http.ServerResponse, status: number, code?: string, message?: string): void {
  res.statusCode = status;
  if (!res.hasHeader('content-type')) res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ error: { code: code ?? String(status), message: message ?? `fake azure error ${status}` } }));
}

/** The fake's configuration: what it accepts. */
export interface FakeAzureOptions {
  apiKey?: string;
  /** The bearer token the fake accepts instead of a key, or a test of the tokens it accepts (those an identity platform issued). */
  bearerToken?: string | ((token: string) => boolean);
  /** Deployment name -> the model name the deployment reports. */
  deployments?: Record<string, string>;
  apiVersion?: string;
  responsesApiVersion?: string;
  intervalMs?: number;
}

const DEFAULT_DEPLOYMENTS = { 'prod-gpt4o': 'gpt-4o-2024-11-20', 'prod-embed': 'text-embedding-3-small' };

/** A handler checking credentials, deployment and api-version, answering by the path and the body's `stream`. */
export function azureHandler(options: FakeAzureOptions = {}) {
  const deployments: Record<string, string> = options.deployments ?? DEFAULT_DEPLOYMENTS;
  const apiVersion = options.apiVersion ?? '2024-10-21';
  const responsesApiVersion = options.responsesApiVersion ?? '2025-04-01-preview';
  const intervalMs = options.intervalMs ?? 5;
  return async (req: RecordedRequest, res: http.ServerResponse): Promise<void> => {
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const accepts = options.bearerToken;
    const authorized =
      accepts !== undefined
        ? bearer !== undefined && (typeof accepts === 'string' ? bearer === accepts : accepts(bearer))
        : req.headers['api-key'] === (options.apiKey ?? AZURE_KEY);
    if (!authorized) {
      return writeAzureError(res, 401, '401', 'Access denied due to invalid subscription key or wrong API endpoint.');
    }
    const url = new URL(req.url, 'http://fake');
    const version = url.searchParams.get('api-version');
    if (req.method === 'GET' && (url.pathname === '/openai/models' || url.pathname === '/openai/v1/models')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [] }));
      return;
    }
    let body: { model?: unknown; stream?: unknown; stream_options?: { include_usage?: unknown }; input?: unknown };
    try {
      body = req.json() as typeof body;
    } catch {
      return writeAzureError(res, 400, 'BadRequest', 'invalid JSON');
    }
    const classic = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/.exec(url.pathname);
    const v1 = /^\/openai\/v1\/(chat\/completions|responses|embeddings)$/.exec(url.pathname);
    let deployment: string;
    let operation: string;
    if (classic) {
      if (version !== apiVersion) return writeAzureError(res, 404, '404', `Resource not found (api-version ${version})`);
      deployment = decodeURIComponent(classic[1]!);
      operation = classic[2]!;
    } else if (url.pathname === '/openai/responses') {
      if (version !== responsesApiVersion)
        return writeAzureError(res, 400, 'BadRequest', `API version not supported: ${version}`);
      deployment = String(body.model);
      operation = 'responses';
    } else if (v1) {
      if (version !== null) return writeAzureError(res, 400, 'BadRequest', 'the v1 API takes no api-version');
      deployment = String(body.model);
      operation = v1[1]!;
    } else {
      return writeAzureError(res, 404, '404', 'Resource not found');
    }
    const model = deployments[deployment];
    if (model === undefined) {
      return writeAzureError(
        res,
        404,
        'DeploymentNotFound',
        `The API deployment for this resource does not exist: ${deployment}`,
      );
    }
    const stream = body.stream === true;
    if (operation === 'embeddings') return writeAzureEmbeddings(res, Array.isArray(body.input) ? body.input.length : 1, model);
    if (operation === 'responses')
      return stream ? writeAzureResponsesStream(res, { model, intervalMs }) : writeAzureResponsesUnary(res, model);
    if (!stream) return writeAzureChatUnary(res, model);
    return writeAzureChatStream(res, { model, intervalMs, withUsage: body.stream_options?.include_usage === true });
  };
}

/** Starts a fake Azure OpenAI resource. */
export function startFakeAzure(options: FakeAzureOptions = {}): Promise<FakeUpstream> {
  return startFakeUpstream(azureHandler(options));
}
