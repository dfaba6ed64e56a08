/**
 * OpenAI chat request -> Anthropic Messages request. System messages become `system`;
 * tool calls become `tool_use` blocks and tool results `tool_result` blocks in a user
 * turn; images become base64 or URL image blocks.
 */
import { isRecord, nonEmptyString } from '@switchyard/plugin-api';
import {
  chatMaxTokens,
  chatParts,
  chatStop,
  chatText,
  chatToolCalls,
  chatToolChoice,
  chatTools,
  parseArguments,
  parseDataUrl,
} from './chat-content.js';

type Block = Record<string, unknown>;
interface Message {
  role: 'user' | 'assistant';
  content: Block[];
}

/** `max_tokens` when the client gives none (Anthropic requires one). */
export const DEFAULT_MAX_TOKENS = 8192;
const THINKING_BUDGET: Record<string, number> = { low: 1024, medium: 8192, high: 24576 };

function userBlocks(content: unknown): Block[] {
  return chatParts(content).map((part) => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const data = parseDataUrl(part.url);
    return {
      type: 'image',
      source: data ? { type: 'base64', media_type: data.mediaType, data: data.data } : { type: 'url', url: part.url },
    };
  });
}

function messagesOf(list: unknown[], system: string[]): Message[] {
  const messages: Message[] = [];
  const add = (role: Message['role'], content: Block[]): void => {
    if (content.length === 0) return;
    const last = messages[messages.length - 1];
    if (last && last.role === role) last.content.push(...content);
    else messages.push({ role, content });
  };
  for (const message of list) {
    if (!isRecord(message)) continue;
    if (message.role === 'system' || message.role === 'developer') system.push(chatText(message.content));
    else if (message.role === 'user') add('user', userBlocks(message.content));
    else if (message.role === 'assistant') {
      const blocks: Block[] = [];
      const text = chatText(message.content);
      if (text !== '') blocks.push({ type: 'text', text });
      for (const call of chatToolCalls(message))
        blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: parseArguments(call.arguments) });
      add('assistant', blocks);
    } else if (message.role === 'tool') {
      add('user', [
        { type: 'tool_result', tool_use_id: nonEmptyString(message.tool_call_id) ?? '', content: chatText(message.content) },
      ]);
    }
  }
  return messages;
}

/** Converts a chat request body into an Anthropic Messages body. */
export function chatToAnthropicRequest(body: Record<string, unknown>, stream: boolean): Record<string, unknown> {
  const system: string[] = [];
  const out: Record<string, unknown> = {
    model: body.model,
    messages: messagesOf(Array.isArray(body.messages) ? body.messages : [], system),
    max_tokens: chatMaxTokens(body) ?? DEFAULT_MAX_TOKENS,
    stream,
  };
  if (system.length > 0) out.system = system.join('\n\n');
  if (typeof body.temperature === 'number') out.temperature = Math.min(1, body.temperature);
  if (typeof body.top_p === 'number') out.top_p = body.top_p;
  const stop = chatStop(body);
  if (stop && stop.length > 0) out.stop_sequences = stop;
  if (typeof body.user === 'string') out.metadata = { user_id: body.user };
  const tools = chatTools(body);
  if (tools.length > 0) {
    out.tools = tools.map((tool) => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      input_schema: tool.parameters ?? { type: 'object', properties: {} },
    }));
  }
  const choice = chatToolChoice(body);
  if (choice) {
    const parallel = body.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
    out.tool_choice =
      'name' in choice
        ? { type: 'tool', name: choice.name, ...parallel }
        : { type: choice.mode === 'required' ? 'any' : choice.mode, ...(choice.mode === 'none' ? {} : parallel) };
  }
  const budget = THINKING_BUDGET[nonEmptyString(body.reasoning_effort) ?? ''];
  if (budget !== undefined) {
    out.thinking = { type: 'enabled', budget_tokens: budget };
    out.max_tokens = Math.max(out.max_tokens as number, budget + 1024);
    delete out.temperature;
  }
  return out;
}
