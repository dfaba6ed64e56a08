/**
 * A fake Gemini API for the tests: a real HTTP server on 127.0.0.1 answering
 * `POST /{v1beta|v1}/models/{model}:{action}` (unary, SSE with `?alt=sse`, JSON array
 * without it, countTokens) and `/v1internal:{method}` Code Assist calls, with Google
 * error JSON.
 */
import type http from 'node:http';
import { startFakeUpstream, writeSse, type FakeUpstream, type RecordedRequest, type SseFrame } from '@switchyard/core/testing';

/** Usage every canned answer reports: 20 prompt tokens (8 cached), 5 candidates, 3 thoughts. */
export const GEMINI_USAGE = {
  promptTokenCount: 20,
  cachedContentTokenCount: 8,
  candidatesTokenCount: 5,
  thoughtsTokenCount: 3,
  totalTokenCount: 28,
} as const;

/** One `GenerateContentResponse` with `text`; `last` adds the finish reason and usage. */
export function geminiChunk(text: string, last = false, model = 'gemini-2.5-pro'): Record<string, unknown> {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
    ...(last ? { usageMetadata: GEMINI_USAGE } : { usageMetadata: { promptTokenCount: 20, totalTokenCount: 20 } }),
    modelVersion: model,
    responseId: 'resp-1',
  };
}

/** The chunks of a streamed answer (at least 5). */
export function geminiChunks(text = 'Hello there from the fake Gemini'): Record<string, unknown>[] {
  const words = text.split(/(?<= )/);
  return words.map((word, index) => geminiChunk(word, index === words.length - 1));
}

/** Writes a unary answer (optionally wrapped in the Code Assist envelope). */
export function writeGeminiUnary(res: http.ServerResponse, options: { text?: string; wrap?: boolean } = {}): void {
  const body = geminiChunk(options.text ?? 'Hello from Gemini.', true);
  res
    .writeHead(200, { 'content-type': 'application/json; charset=UTF-8' })
    .end(JSON.stringify(options.wrap ? { response: body, traceId: 't-1' } : body));
}

/** Streams as SSE (`?alt=sse`), `intervalMs` between frames, optionally in the Code Assist envelope. */
export function writeGeminiSse(
  res: http.ServerResponse,
  options: { intervalMs?: number; wrap?: boolean; text?: string } = {},
): Promise<void> {
  const frames: SseFrame[] = geminiChunks(options.text).map((chunk) => ({
    data: options.wrap ? { response: chunk, traceId: 't-1' } : chunk,
  }));
  return writeSse(res, frames, { intervalMs: options.intervalMs ?? 30, lineEnding: '\r\n' });
}

/** Streams as one JSON array (no `alt=sse`), one element per write. */
export async function writeGeminiArray(res: http.ServerResponse, options: { intervalMs?: number } = {}): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
  const chunks = geminiChunks();
  for (let index = 0; index < chunks.length && !res.destroyed; index += 1) {
    res.write(`${index === 0 ? '[' : ',\r\n'}${JSON.stringify(chunks[index], null, 2)}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 30));
  }
  res.end(']');
}

/** Writes Google error JSON. */
export function writeGoogleError(res: http.ServerResponse, status: number, extra: Record<string, unknown> = {}): void {
  const names: Record<number, string> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    429: 'RESOURCE_EXHAUSTED',
    503: 'UNAVAILABLE',
  };
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=UTF-8');
  res.end(
    JSON.stringify({ error: { code: status, message: `fake error ${status}`, status: names[status] ?? 'INTERNAL', ...extra } }),
  );
}

/** A handler for the Gemini API, checking `x-goog-api-key` when `apiKey` is set. */
export function geminiHandler(options: { apiKey?: string; intervalMs?: number } = {}) {
  return async (req: RecordedRequest, res: http.ServerResponse): Promise<void> => {
    if (options.apiKey !== undefined && req.headers['x-goog-api-key'] !== options.apiKey) return writeGoogleError(res, 403);
    const match = /^\/(v1beta|v1)\/models\/([^/:]+):(\w+)$/.exec(req.path);
    if (req.method !== 'POST' || !match) return writeGoogleError(res, 404);
    const action = match[3];
    if (action === 'countTokens') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ totalTokens: 42 }));
      return;
    }
    if (action === 'generateContent') return writeGeminiUnary(res);
    if (action !== 'streamGenerateContent') return writeGoogleError(res, 404);
    const intervalMs = options.intervalMs ?? 10;
    return req.query.get('alt') === 'sse' ? writeGeminiSse(res, { intervalMs }) : writeGeminiArray(res, { intervalMs });
  };
}

/** Starts a fake Gemini API. */
export function startFakeGemini(options: { apiKey?: string; intervalMs?: number } = {}): Promise<FakeUpstream> {
  return startFakeUpstream(geminiHandler(options));
}
