/**
 * A fake OpenAI-compatible provider for the tests against the real Claude Code Router: a
 * real HTTP server on 127.0.0.1 answering `POST /v1/chat/completions` as OpenAI does,
 * unary JSON or SSE `chat.completion.chunk`s ending in `data: [DONE]`, with usage (in the
 * last chunk of a stream). It answers with the model it was asked for, and requests
 * without its key get a 401 in OpenAI's error shape.
 */
import type http from 'node:http';
import { startFakeUpstream, writeSse, type FakeUpstream, type RecordedRequest } from '@switchyard/core/testing';

/** The provider's usage of every answer. */
export const PROVIDER_USAGE = { prompt_tokens: 120, completion_tokens: 9, total_tokens: 129 } as const;

/** The text of every answer, streamed in these pieces. */
export const PROVIDER_PIECES = ['Hello', ' from', ' the', ' fake', ' provider.'] as const;

function writeOpenAiError(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', code: null } }));
}

async function answer(req: RecordedRequest, res: http.ServerResponse, apiKey: string): Promise<void> {
  if (req.headers.authorization !== `Bearer ${apiKey}`) return writeOpenAiError(res, 401, 'Incorrect API key provided.');
  if (req.method !== 'POST' || req.path !== '/v1/chat/completions') return writeOpenAiError(res, 404, 'Not found.');
  const body = req.json<{ model?: string; stream?: boolean }>();
  const model = body.model ?? 'unknown';
  const base = { id: 'chatcmpl-fake-1', created: 1_765_000_000, model };
  if (body.stream !== true) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: PROVIDER_PIECES.join('') }, finish_reason: 'stop' }],
        usage: PROVIDER_USAGE,
      }),
    );
    return;
  }
  const chunk = (delta: Record<string, unknown>, finish: string | null, usage?: unknown) => ({
    data: {
      ...base,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...(usage ? { usage } : {}),
    },
  });
  await writeSse(
    res,
    [
      chunk({ role: 'assistant', content: PROVIDER_PIECES[0] }, null),
      ...PROVIDER_PIECES.slice(1).map((content) => chunk({ content }, null)),
      chunk({}, 'stop', PROVIDER_USAGE),
      { data: '[DONE]' },
    ],
    { intervalMs: 20 },
  );
}

/** Starts the provider; it accepts only `Bearer <apiKey>`. */
export function startFakeOpenAiProvider(apiKey: string): Promise<FakeUpstream> {
  return startFakeUpstream((req, res) => answer(req, res, apiKey));
}
