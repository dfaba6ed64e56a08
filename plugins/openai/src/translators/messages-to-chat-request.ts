/**
 * Anthropic Messages request -> OpenAI chat request. `system` (and `role: "system"`
 * messages, which Claude Code sends inside `messages`) become system messages; text and
 * images become user content parts; `tool_use` blocks become `tool_calls` and
 * `tool_result` blocks become `tool` messages (placed right after the assistant turn
 * that called them, as chat requires); thinking blocks are left out.
 */
import { isRecord, nonEmptyString } from '@switchyard/plugin-api';
import {
  imageUrl,
  messagesBlocks,
  messagesStop,
  messagesText,
  messagesToolChoice,
  messagesTools,
  toolResultContent,
  type MessagesBlock,
} from './messages-content.js';

type ChatMessage = Record<string, unknown>;
type ChatPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

/** A user message's content: a plain string when it is only text, else parts. */
function userContent(parts: ChatPart[]): string | ChatPart[] {
  return parts.every((part) => part.type === 'text') ? parts.map((part) => part.text).join('\n\n') : parts;
}

function partOf(block: MessagesBlock): ChatPart | undefined {
  if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') return { type: 'text', text: block.text };
  if (block.type === 'image') {
    const url = imageUrl(block);
    if (url) return { type: 'image_url', image_url: { url } };
  }
  return undefined;
}

function userMessages(content: unknown): ChatMessage[] {
  const out: ChatMessage[] = [];
  const parts: ChatPart[] = [];
  for (const block of messagesBlocks(content)) {
    if (block.type === 'tool_result') {
      const result = toolResultContent(block);
      out.push({ role: 'tool', tool_call_id: nonEmptyString(block.tool_use_id) ?? '', content: result.text });
      // Chat tool messages carry text only: a result's images follow in the user message.
      for (const url of result.images) parts.push({ type: 'image_url', image_url: { url } });
      continue;
    }
    const part = partOf(block);
    if (part) parts.push(part);
  }
  if (parts.length > 0) out.push({ role: 'user', content: userContent(parts) });
  return out;
}

function assistantMessage(content: unknown): ChatMessage | undefined {
  let text = '';
  const calls: unknown[] = [];
  for (const block of messagesBlocks(content)) {
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    if (block.type === 'tool_use')
      calls.push({
        id: nonEmptyString(block.id) ?? `call_${calls.length}`,
        type: 'function',
        function: { name: nonEmptyString(block.name) ?? '', arguments: JSON.stringify(block.input ?? {}) },
      });
  }
  if (text === '' && calls.length === 0) return undefined;
  const message: ChatMessage = { role: 'assistant', content: text === '' ? null : text };
  if (calls.length > 0) message.tool_calls = calls;
  return message;
}

/** The chat messages of an Anthropic request, the system prompt first. */
export function chatMessagesOf(body: Record<string, unknown>): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const system = messagesText(body.system);
  if (system !== '') messages.push({ role: 'system', content: system });
  for (const message of Array.isArray(body.messages) ? body.messages : []) {
    if (!isRecord(message)) continue;
    if (message.role === 'system') {
      const text = messagesText(message.content);
      if (text !== '') messages.push({ role: 'system', content: text });
    } else if (message.role === 'user') messages.push(...userMessages(message.content));
    else if (message.role === 'assistant') {
      const assistant = assistantMessage(message.content);
      if (assistant) messages.push(assistant);
    }
  }
  return messages;
}

/**
 * Converts an Anthropic Messages body into a chat completions body for `model`. A
 * stream asks for the usage chunk, so the translated answer can report usage.
 */
export function messagesToChatRequest(body: Record<string, unknown>, model: unknown, stream: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { model, messages: chatMessagesOf(body), stream };
  if (stream) out.stream_options = { include_usage: true };
  if (typeof body.max_tokens === 'number' && body.max_tokens > 0) out.max_completion_tokens = body.max_tokens;
  if (typeof body.temperature === 'number') out.temperature = body.temperature;
  if (typeof body.top_p === 'number') out.top_p = body.top_p;
  const stop = messagesStop(body);
  if (stop) out.stop = stop;
  const tools = messagesTools(body);
  if (tools.length > 0) {
    out.tools = tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.schema },
    }));
  }
  const choice = messagesToolChoice(body);
  if (choice && tools.length > 0) {
    out.tool_choice =
      'name' in choice ? { type: 'function', function: { name: choice.name } } : choice.mode === 'any' ? 'required' : choice.mode;
    if (choice.serial) out.parallel_tool_calls = false;
  }
  return out;
}
