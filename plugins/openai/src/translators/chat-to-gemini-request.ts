/**
 * OpenAI chat request -> Gemini `generateContent` request. System messages become
 * `systemInstruction`; assistant turns become `model` turns; tool calls become
 * `functionCall` parts and tool results `functionResponse` parts (named after the call
 * they answer); images given as `data:` URLs become `inlineData`, others `fileData`.
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

type Part = Record<string, unknown>;
interface Content {
  role: 'user' | 'model';
  parts: Part[];
}

/** Thinking budgets for `reasoning_effort`. */
const THINKING_BUDGET: Record<string, number> = { minimal: 0, low: 1024, medium: 8192, high: 24576 };

function imagePart(url: string): Part {
  const data = parseDataUrl(url);
  if (data) return { inlineData: { mimeType: data.mediaType, data: data.data } };
  const ext = /\.(png|jpe?g|gif|webp)(?:$|\?)/i.exec(url)?.[1]?.toLowerCase();
  const mimeType = ext === 'png' ? 'image/png' : ext === 'gif' ? 'image/gif' : ext === 'webp' ? 'image/webp' : 'image/jpeg';
  return { fileData: { mimeType, fileUri: url } };
}

function toolResult(content: unknown): Record<string, unknown> {
  const text = chatText(content);
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed)) return parsed;
  } catch {
    // plain text result
  }
  return { result: text };
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
    if (message.role === 'system' || message.role === 'developer') system.push(chatText(message.content));
    else if (message.role === 'user')
      add(
        'user',
        chatParts(message.content).map((part) => (part.type === 'text' ? { text: part.text } : imagePart(part.url))),
      );
    else if (message.role === 'assistant') {
      const parts: Part[] = [];
      const text = chatText(message.content);
      if (text !== '') parts.push({ text });
      for (const call of chatToolCalls(message)) {
        callNames.set(call.id, call.name);
        parts.push({ functionCall: { name: call.name, args: parseArguments(call.arguments) } });
      }
      add('model', parts);
    } else if (message.role === 'tool') {
      const name = callNames.get(nonEmptyString(message.tool_call_id) ?? '') ?? nonEmptyString(message.name) ?? 'tool';
      add('user', [{ functionResponse: { name, response: toolResult(message.content) } }]);
    }
  }
  return contents;
}

function generationConfig(body: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (typeof body.temperature === 'number') config.temperature = body.temperature;
  if (typeof body.top_p === 'number') config.topP = body.top_p;
  if (typeof body.n === 'number') config.candidateCount = body.n;
  if (typeof body.presence_penalty === 'number') config.presencePenalty = body.presence_penalty;
  if (typeof body.frequency_penalty === 'number') config.frequencyPenalty = body.frequency_penalty;
  if (typeof body.seed === 'number') config.seed = body.seed;
  const maxTokens = chatMaxTokens(body);
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  const stop = chatStop(body);
  if (stop && stop.length > 0) config.stopSequences = stop;
  const format = body.response_format;
  if (isRecord(format) && format.type === 'json_object') config.responseMimeType = 'application/json';
  if (isRecord(format) && format.type === 'json_schema' && isRecord(format.json_schema)) {
    config.responseMimeType = 'application/json';
    config.responseJsonSchema = format.json_schema.schema ?? {};
  }
  const effort = nonEmptyString(body.reasoning_effort);
  if (effort && THINKING_BUDGET[effort] !== undefined) config.thinkingConfig = { thinkingBudget: THINKING_BUDGET[effort] };
  return config;
}

/** Converts a chat request body into a Gemini `generateContent` body. */
export function chatToGeminiRequest(body: Record<string, unknown>): Record<string, unknown> {
  const system: string[] = [];
  const out: Record<string, unknown> = { contents: contentsOf(Array.isArray(body.messages) ? body.messages : [], system) };
  if (system.length > 0) out.systemInstruction = { parts: [{ text: system.join('\n\n') }] };
  const tools = chatTools(body);
  if (tools.length > 0) {
    out.tools = [
      {
        functionDeclarations: tools.map((tool) => ({
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          ...(tool.parameters !== undefined ? { parametersJsonSchema: tool.parameters } : {}),
        })),
      },
    ];
  }
  const choice = chatToolChoice(body);
  if (choice) {
    const mode = 'name' in choice ? 'ANY' : choice.mode === 'required' ? 'ANY' : choice.mode === 'none' ? 'NONE' : 'AUTO';
    out.toolConfig = { functionCallingConfig: { mode, ...('name' in choice ? { allowedFunctionNames: [choice.name] } : {}) } };
  }
  const config = generationConfig(body);
  if (Object.keys(config).length > 0) out.generationConfig = config;
  return out;
}
