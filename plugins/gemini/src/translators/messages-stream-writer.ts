/**
 * Writes Anthropic Messages SSE events (`event: <type>` + `data: <json>`) for a stream
 * translated from another protocol: `message_start`, one content block at a time (text
 * or tool_use), `message_delta` with the stop reason and usage, `message_stop`, or an
 * `error` event. Anthropic clients need the `event:` lines (see docs/plugins.md).
 */
import { randomUUID } from 'node:crypto';
import { formatSse } from '@switchyard/plugin-api';

/** Anthropic usage counts (input excludes cache reads). */
export interface MessagesUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** A fresh Anthropic-style id (`msg_...`, `toolu_...`): letters, digits and `_` only. */
export function messagesId(prefix: 'msg' | 'toolu'): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}

/** State and event builders for one translated Anthropic stream. */
export class MessagesStreamWriter {
  readonly id = messagesId('msg');
  private started = false;
  private ended = false;
  /** Index of the open block, or -1. */
  private open = -1;
  private openType: 'text' | 'tool_use' | undefined;
  private next = 0;

  constructor(private model: string) {}

  private event(type: string, data: Record<string, unknown>): string {
    return formatSse({ type, ...data }, type);
  }

  /** `message_start` once, before anything else; `model` is the one upstream named, when known. */
  start(model?: string): string {
    if (this.started) return '';
    this.started = true;
    if (model) this.model = model;
    const message = {
      id: this.id,
      type: 'message',
      role: 'assistant',
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    return this.event('message_start', { message }) + this.event('ping', {});
  }

  private close(): string {
    if (this.open < 0) return '';
    const out = this.event('content_block_stop', { index: this.open });
    this.open = -1;
    this.openType = undefined;
    return out;
  }

  /** A text delta, opening a text block when the open block is not one. */
  text(text: string): string {
    if (text === '') return '';
    let out = this.start();
    if (this.openType !== 'text') {
      out += this.close();
      this.open = this.next++;
      this.openType = 'text';
      out += this.event('content_block_start', { index: this.open, content_block: { type: 'text', text: '' } });
    }
    return out + this.event('content_block_delta', { index: this.open, delta: { type: 'text_delta', text } });
  }

  /** Opens a tool_use block (closing the open one); returns its frames and its index. */
  toolStart(id: string, name: string): { out: string; index: number } {
    let out = this.start() + this.close();
    this.open = this.next++;
    this.openType = 'tool_use';
    out += this.event('content_block_start', {
      index: this.open,
      content_block: { type: 'tool_use', id, name, input: {} },
    });
    return { out, index: this.open };
  }

  /** Argument JSON for the tool_use block at `index`. */
  toolArguments(index: number, partialJson: string): string {
    if (partialJson === '') return '';
    return this.event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: partialJson } });
  }

  /** The end: the open block closed, `message_delta` (stop reason, usage) and `message_stop`. */
  finish(stopReason: string, usage: MessagesUsage | undefined): string {
    if (this.ended) return '';
    let out = this.start() + this.close();
    this.ended = true;
    out += this.event('message_delta', {
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: usage ?? { output_tokens: 0 },
    });
    return out + this.event('message_stop', {});
  }

  /** An `error` event (Anthropic error JSON); nothing follows it. */
  error(type: string, message: string): string {
    if (this.ended) return '';
    this.ended = true;
    return this.event('error', { error: { type, message } });
  }

  /** True once `finish` or `error` wrote the end. */
  get done(): boolean {
    return this.ended;
  }
}

/** The Anthropic error type for an upstream HTTP status. */
export function messagesErrorType(status: number): string {
  if (status === 400 || status === 422) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'billing_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  return 'api_error';
}
