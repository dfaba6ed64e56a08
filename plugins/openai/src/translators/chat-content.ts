import { isRecord, nonEmptyString } from '@switchyard/plugin-api';
/**
 * Readers for OpenAI chat request messages, shared by the translators: text of a
 * message's content, its parts (text and images), tool calls, and options.
 */

/** One part of a chat message's content, normalised. */
export type ChatPart = { type: 'text'; text: string } | { type: 'image'; url: string; detail?: string };

/** The parts of a chat message's `content` (a string or an array of parts); unknown parts are skipped. */
export function chatParts(content: unknown): ChatPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  const parts: ChatPart[] = [];
  for (const part of content) {
    if (!isRecord(part)) continue;
    if ((part.type === 'text' || part.type === 'input_text') && typeof part.text === 'string')
      parts.push({ type: 'text', text: part.text });
    if (part.type === 'image_url') {
      const image = isRecord(part.image_url) ? part.image_url : { url: part.image_url };
      const url = nonEmptyString(image.url);
      if (url)
        parts.push({ type: 'image', url, ...(nonEmptyString(image.detail) ? { detail: nonEmptyString(image.detail)! } : {}) });
    }
  }
  return parts;
}

/** The text parts of a message's content, concatenated as sent (images skipped). */
export function chatText(content: unknown): string {
  return chatParts(content)
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('');
}

/** A function tool call of an assistant message. */
export interface ChatToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** The function tool calls of an assistant message. */
export function chatToolCalls(message: Record<string, unknown>): ChatToolCall[] {
  if (!Array.isArray(message.tool_calls)) return [];
  const calls: ChatToolCall[] = [];
  for (const call of message.tool_calls) {
    if (!isRecord(call) || !isRecord(call.function)) continue;
    calls.push({
      id: nonEmptyString(call.id) ?? `call_${calls.length}`,
      name: nonEmptyString(call.function.name) ?? '',
      arguments: typeof call.function.arguments === 'string' ? call.function.arguments : '{}',
    });
  }
  return calls;
}

/** A function tool of the request. */
export interface ChatTool {
  name: string;
  description?: string;
  parameters?: unknown;
  strict?: boolean;
}

/** The request's function tools (`tools[].function`). */
export function chatTools(body: Record<string, unknown>): ChatTool[] {
  if (!Array.isArray(body.tools)) return [];
  const tools: ChatTool[] = [];
  for (const tool of body.tools) {
    if (!isRecord(tool) || !isRecord(tool.function) || !nonEmptyString(tool.function.name)) continue;
    const fn = tool.function;
    tools.push({
      name: nonEmptyString(fn.name)!,
      ...(nonEmptyString(fn.description) ? { description: nonEmptyString(fn.description)! } : {}),
      ...(fn.parameters !== undefined ? { parameters: fn.parameters } : {}),
      ...(typeof fn.strict === 'boolean' ? { strict: fn.strict } : {}),
    });
  }
  return tools;
}

/** `tool_choice` normalised: `auto`, `none`, `required`, or a function name. */
export function chatToolChoice(
  body: Record<string, unknown>,
): { mode: 'auto' | 'none' | 'required' } | { name: string } | undefined {
  const choice = body.tool_choice;
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { mode: choice };
  if (isRecord(choice) && isRecord(choice.function) && nonEmptyString(choice.function.name))
    return { name: nonEmptyString(choice.function.name)! };
  return undefined;
}

/** `max_completion_tokens`, else `max_tokens`. */
export function chatMaxTokens(body: Record<string, unknown>): number | undefined {
  const value = body.max_completion_tokens ?? body.max_tokens;
  return typeof value === 'number' && value > 0 ? value : undefined;
}

/** `stop` as a list. */
export function chatStop(body: Record<string, unknown>): string[] | undefined {
  if (typeof body.stop === 'string') return [body.stop];
  if (Array.isArray(body.stop)) return body.stop.filter((item): item is string => typeof item === 'string');
  return undefined;
}

/** A `data:` URL split into its media type and base64 data, or undefined for other URLs. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  return match ? { mediaType: match[1]!, data: match[2]! } : undefined;
}

/** True when the client asked for a usage chunk at the end of a stream. */
export function wantsStreamUsage(clientBody: unknown): boolean {
  return isRecord(clientBody) && isRecord(clientBody.stream_options) && clientBody.stream_options.include_usage === true;
}

/** Parses tool call arguments (a JSON string) into an object; invalid JSON becomes `{}`. */
export function parseArguments(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text === '' ? '{}' : text);
    return isRecord(parsed) ? parsed : { value: parsed };
  } catch {
    return {};
  }
}
