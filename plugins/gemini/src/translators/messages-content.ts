/**
 * Readers for Anthropic Messages requests, for the translators that serve Anthropic
 * clients from other protocols: the system prompt, content blocks, images and tools.
 */
import { isRecord, nonEmptyString } from '@switchyard/plugin-api';

/** One content block, as sent (`text`, `image`, `tool_use`, `tool_result`, `thinking`, ...). */
export type MessagesBlock = Record<string, unknown> & { type?: unknown };

/** The blocks of a message's `content` (a string is one text block). */
export function messagesBlocks(content: unknown): MessagesBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return Array.isArray(content) ? content.filter(isRecord) : [];
}

/** The text of `system` (a string or text blocks), blocks joined by blank lines. */
export function messagesText(content: unknown): string {
  return messagesBlocks(content)
    .filter((block) => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text as string)
    .join('\n\n');
}

/** An image block's source as a URL: a `data:` URL for base64 sources. */
export function imageUrl(block: MessagesBlock): string | undefined {
  const source = isRecord(block.source) ? block.source : undefined;
  if (!source) return undefined;
  if (source.type === 'base64' && typeof source.data === 'string')
    return `data:${nonEmptyString(source.media_type) ?? 'image/png'};base64,${source.data}`;
  if (source.type === 'url') return nonEmptyString(source.url);
  return undefined;
}

/** A tool_result's content: its text, and its images as URLs. */
export function toolResultContent(block: MessagesBlock): { text: string; images: string[] } {
  const blocks = messagesBlocks(block.content);
  const images = blocks.filter((inner) => inner.type === 'image').flatMap((inner) => imageUrl(inner) ?? []);
  return { text: messagesText(blocks), images };
}

/** A custom tool of the request (server tools such as web search have a `type` and no schema: skipped). */
export interface MessagesTool {
  name: string;
  description?: string;
  schema: unknown;
}

/** The request's custom tools. */
export function messagesTools(body: Record<string, unknown>): MessagesTool[] {
  if (!Array.isArray(body.tools)) return [];
  const tools: MessagesTool[] = [];
  for (const tool of body.tools) {
    if (!isRecord(tool) || !nonEmptyString(tool.name)) continue;
    if (tool.type !== undefined && tool.type !== 'custom') continue;
    tools.push({
      name: nonEmptyString(tool.name)!,
      ...(nonEmptyString(tool.description) ? { description: nonEmptyString(tool.description)! } : {}),
      schema: isRecord(tool.input_schema) ? tool.input_schema : { type: 'object', properties: {} },
    });
  }
  return tools;
}

/** `tool_choice` normalised: a mode, or a tool name; with whether parallel tool use is off. */
export function messagesToolChoice(
  body: Record<string, unknown>,
): { mode: 'auto' | 'any' | 'none'; serial: boolean } | { name: string; serial: boolean } | undefined {
  const choice = body.tool_choice;
  if (!isRecord(choice)) return undefined;
  const serial = choice.disable_parallel_tool_use === true;
  if (choice.type === 'tool' && nonEmptyString(choice.name)) return { name: nonEmptyString(choice.name)!, serial };
  if (choice.type === 'auto' || choice.type === 'any' || choice.type === 'none') return { mode: choice.type, serial };
  return undefined;
}

/** `stop_sequences` as a list of strings, or undefined. */
export function messagesStop(body: Record<string, unknown>): string[] | undefined {
  if (!Array.isArray(body.stop_sequences)) return undefined;
  const stop = body.stop_sequences.filter((item): item is string => typeof item === 'string');
  return stop.length > 0 ? stop : undefined;
}
