/**
 * Anthropic Messages request -> Gemini `generateContent` request. `system` and
 * `role: "system"` messages become `systemInstruction`; assistant turns become `model`
 * turns; `tool_use` blocks become `functionCall` parts and `tool_result` blocks
 * `functionResponse` parts (named after the call they answer); base64 images become
 * `inlineData`, images by URL `fileData`; thinking blocks are left out.
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

type Part = Record<string, unknown>;
interface Content {
  role: 'user' | 'model';
  parts: Part[];
}

/**
 * Gemini 3 checks the thought signature of function calls in the history; calls that
 * come from another model have none. Google documents this value for exactly that case
 * (conversations carried over from elsewhere).
 */
export const NO_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/** An image as a Gemini part: `inlineData` for `data:` URLs, `fileData` (media type from the extension) otherwise. */
export function imagePart(url: string): Part {
  const data = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (data) return { inlineData: { mimeType: data[1], data: data[2] } };
  const ext = /\.(png|jpe?g|gif|webp)(?:$|\?)/i.exec(url)?.[1]?.toLowerCase();
  const mimeType = ext === 'png' ? 'image/png' : ext === 'gif' ? 'image/gif' : ext === 'webp' ? 'image/webp' : 'image/jpeg';
  return { fileData: { mimeType, fileUri: url } };
}

function imagePartOf(block: MessagesBlock): Part | undefined {
  const url = imageUrl(block);
  return url ? imagePart(url) : undefined;
}

function userParts(content: unknown, callNames: Map<string, string>): Part[] {
  const parts: Part[] = [];
  const images: Part[] = [];
  for (const block of messagesBlocks(content)) {
    if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') parts.push({ text: block.text });
    else if (block.type === 'image') {
      const part = imagePartOf(block);
      if (part) parts.push(part);
    } else if (block.type === 'tool_result') {
      const id = nonEmptyString(block.tool_use_id) ?? '';
      const result = toolResultContent(block);
      const response = block.is_error === true ? { error: result.text } : { result: result.text };
      parts.push({ functionResponse: { name: callNames.get(id) ?? 'tool', response } });
      images.push(...result.images.map(imagePart));
    }
  }
  // Images of tool results follow the function responses of the turn.
  return [...parts, ...images];
}

function modelParts(content: unknown, callNames: Map<string, string>): Part[] {
  const parts: Part[] = [];
  for (const block of messagesBlocks(content)) {
    if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') parts.push({ text: block.text });
    if (block.type === 'tool_use') {
      const name = nonEmptyString(block.name) ?? '';
      const id = nonEmptyString(block.id);
      if (id) callNames.set(id, name);
      parts.push({
        functionCall: { name, args: isRecord(block.input) ? block.input : {} },
        thoughtSignature: NO_THOUGHT_SIGNATURE,
      });
    }
  }
  return parts;
}

function contentsOf(messages: unknown[], system: string[]): Content[] {
  const contents: Content[] = [];
  const callNames = new Map<string, string>();
  const add = (role: Content['role'], parts: Part[]): void => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    // Gemini wants alternating turns: consecutive turns of one role are merged.
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const message of messages) {
    if (!isRecord(message)) continue;
    if (message.role === 'system') {
      const text = messagesText(message.content);
      if (text !== '') system.push(text);
    } else if (message.role === 'user') add('user', userParts(message.content, callNames));
    else if (message.role === 'assistant') add('model', modelParts(message.content, callNames));
  }
  return contents;
}

function generationConfig(body: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (typeof body.max_tokens === 'number' && body.max_tokens > 0) config.maxOutputTokens = body.max_tokens;
  if (typeof body.temperature === 'number') config.temperature = body.temperature;
  if (typeof body.top_p === 'number') config.topP = body.top_p;
  if (typeof body.top_k === 'number') config.topK = body.top_k;
  const stop = messagesStop(body);
  if (stop) config.stopSequences = stop;
  return config;
}

/** Converts an Anthropic Messages body into a Gemini `generateContent` body. */
export function messagesToGeminiRequest(body: Record<string, unknown>): Record<string, unknown> {
  const system: string[] = [];
  const top = messagesText(body.system);
  if (top !== '') system.push(top);
  const out: Record<string, unknown> = { contents: contentsOf(Array.isArray(body.messages) ? body.messages : [], system) };
  if (system.length > 0) out.systemInstruction = { parts: [{ text: system.join('\n\n') }] };
  const tools = messagesTools(body);
  if (tools.length > 0) {
    out.tools = [
      {
        functionDeclarations: tools.map((tool) => ({
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          parametersJsonSchema: tool.schema,
        })),
      },
    ];
    const choice = messagesToolChoice(body);
    if (choice) {
      const mode = 'name' in choice ? 'ANY' : choice.mode === 'any' ? 'ANY' : choice.mode === 'none' ? 'NONE' : 'AUTO';
      out.toolConfig = { functionCallingConfig: { mode, ...('name' in choice ? { allowedFunctionNames: [choice.name] } : {}) } };
    }
  }
  const config = generationConfig(body);
  if (Object.keys(config).length > 0) out.generationConfig = config;
  return out;
}
