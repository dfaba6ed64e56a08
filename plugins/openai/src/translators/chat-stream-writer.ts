/**
 * Writes OpenAI `chat.completion.chunk` SSE frames for the stream translators: the role
 * chunk, content and tool call deltas, the finish chunk, the optional usage chunk and
 * `data: [DONE]`.
 */
import { formatSse } from '@switchyard/plugin-api';

/** A chat `usage` object. */
export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

/** Builds a chat usage object from counts (prompt tokens include cached ones). */
export function chatUsageObject(prompt: number, completion: number, cached: number, reasoning: number): ChatUsage {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached },
    completion_tokens_details: { reasoning_tokens: reasoning },
  };
}

/** State and frame builders for one translated chat stream. */
export class ChatStreamWriter {
  id = `chatcmpl-${Date.now().toString(36)}`;
  model: string;
  created = Math.floor(Date.now() / 1000);
  private started = false;
  private finished = false;

  constructor(
    model: string | undefined,
    private readonly includeUsage: boolean,
  ) {
    this.model = model ?? 'unknown';
  }

  private frame(choices: unknown[], extra: Record<string, unknown> = {}): string {
    return formatSse({
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices,
      ...extra,
    });
  }

  /** The role chunk, once, before the first delta. */
  start(): string {
    if (this.started) return '';
    this.started = true;
    return this.frame([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
  }

  /** A content (or refusal) delta. */
  delta(delta: Record<string, unknown>): string {
    return this.start() + this.frame([{ index: 0, delta, finish_reason: null }]);
  }

  /** A tool call delta: the first one for a call carries id, type and name. */
  toolCall(index: number, call: { id?: string; name?: string; arguments: string }): string {
    const entry: Record<string, unknown> = { index };
    if (call.id !== undefined) entry.id = call.id;
    if (call.name !== undefined) entry.type = 'function';
    entry.function = call.name !== undefined ? { name: call.name, arguments: call.arguments } : { arguments: call.arguments };
    return this.delta({ tool_calls: [entry] });
  }

  /** The finish chunk, once. */
  finish(reason: string): string {
    if (this.finished) return '';
    this.finished = true;
    return this.start() + this.frame([{ index: 0, delta: {}, finish_reason: reason }]);
  }

  /** The end of the stream: the finish chunk if none was sent, the usage chunk when asked for, `[DONE]`. */
  end(usage: ChatUsage | undefined, fallbackReason = 'stop'): string {
    let out = this.finish(fallbackReason);
    if (this.includeUsage && usage) out += this.frame([], { usage });
    return `${out}data: [DONE]\n\n`;
  }

  /** An error frame in the chat stream (OpenAI error JSON), then `[DONE]`. */
  error(message: string, type: string, code: string | null = null): string {
    this.finished = true;
    return `${formatSse({ error: { message, type, param: null, code } })}data: [DONE]\n\n`;
  }
}
