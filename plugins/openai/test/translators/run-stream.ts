/**
 * Test helper: feeds upstream SSE text to a stream translator in small, uneven chunks
 * (so frames split across pushes) and parses the chat chunks it wrote.
 */
import type { StreamTranslator, TranslatorDefinition } from '@switchyard/plugin-api';

/** Runs `translator.createStream` over `upstream`, split every `step` bytes; returns the raw output. */
export function runStream(
  translator: TranslatorDefinition,
  upstream: string,
  options: { clientBody?: unknown; step?: number; model?: string } = {},
): string {
  const stream: StreamTranslator = translator.createStream({
    model: options.model ?? 'm',
    stream: true,
    operation: 'chat',
    clientBody: options.clientBody,
  });
  const bytes = Buffer.from(upstream, 'utf8');
  const step = options.step ?? 7;
  let out = '';
  for (let offset = 0; offset < bytes.length; offset += step) {
    const piece = stream.push(bytes.subarray(offset, offset + step));
    if (piece !== null) out += piece.toString();
  }
  const last = stream.end();
  if (last !== null) out += last.toString();
  return out;
}

/** The JSON payloads of `data:` frames, `[DONE]` kept as the string. */
export function dataFrames(sse: string): unknown[] {
  return sse
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice(6))
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}

/** SSE text from frames (`event:` lines when given). */
export function sse(frames: readonly { event?: string; data: unknown }[]): string {
  return frames.map((frame) => `${frame.event ? `event: ${frame.event}\n` : ''}data: ${JSON.stringify(frame.data)}\n\n`).join('');
}

/** Reassembles chat chunks: text, tool calls (by index), finish reason, usage. */
export function assemble(frames: unknown[]): {
  text: string;
  toolCalls: { id?: string; name?: string; arguments: string }[];
  finish?: string;
  usage?: unknown;
  done: boolean;
} {
  let text = '';
  const toolCalls: { id?: string; name?: string; arguments: string }[] = [];
  let finish: string | undefined;
  let usage: unknown;
  for (const frame of frames) {
    if (frame === '[DONE]') continue;
    const chunk = frame as {
      choices: {
        delta: {
          content?: string;
          tool_calls?: { index: number; id?: string; function: { name?: string; arguments?: string } }[];
        };
        finish_reason: string | null;
      }[];
      usage?: unknown;
    };
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      text += choice.delta.content ?? '';
      for (const call of choice.delta.tool_calls ?? []) {
        const entry = (toolCalls[call.index] ??= { arguments: '' });
        if (call.id) entry.id = call.id;
        if (call.function.name) entry.name = call.function.name;
        entry.arguments += call.function.arguments ?? '';
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  return { text, toolCalls, ...(finish ? { finish } : {}), ...(usage ? { usage } : {}), done: frames.at(-1) === '[DONE]' };
}
