/**
 * OpenAI chat request -> Responses API request. System and developer messages become
 * `instructions`; user and assistant messages become message items; tool calls and tool
 * results become `function_call` / `function_call_output` items.
 */
import { isRecord, nonEmptyString } from '@switchyard/plugin-api';
import { chatMaxTokens, chatParts, chatText, chatToolCalls, chatToolChoice, chatTools } from './chat-content.js';

const PASSED_THROUGH = [
  'temperature',
  'top_p',
  'parallel_tool_calls',
  'user',
  'metadata',
  'store',
  'service_tier',
  'prompt_cache_key',
  'safety_identifier',
] as const;

function userContent(content: unknown): unknown[] {
  return chatParts(content).map((part) =>
    part.type === 'text'
      ? { type: 'input_text', text: part.text }
      : { type: 'input_image', image_url: part.url, detail: part.detail ?? 'auto' },
  );
}

function inputItems(messages: unknown[], instructions: string[]): unknown[] {
  const items: unknown[] = [];
  for (const message of messages) {
    if (!isRecord(message)) continue;
    switch (message.role) {
      case 'system':
      case 'developer':
        instructions.push(chatText(message.content));
        break;
      case 'user':
        items.push({ type: 'message', role: 'user', content: userContent(message.content) });
        break;
      case 'assistant': {
        const text = chatText(message.content);
        if (text !== '') items.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
        for (const call of chatToolCalls(message))
          items.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments });
        break;
      }
      case 'tool':
        items.push({
          type: 'function_call_output',
          call_id: nonEmptyString(message.tool_call_id) ?? '',
          output: chatText(message.content),
        });
        break;
      default:
        break;
    }
  }
  return items;
}

function textFormat(format: unknown): unknown {
  if (!isRecord(format)) return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type === 'json_schema' && isRecord(format.json_schema)) {
    const schema = format.json_schema;
    return {
      type: 'json_schema',
      name: nonEmptyString(schema.name) ?? 'response',
      schema: schema.schema ?? {},
      ...(typeof schema.strict === 'boolean' ? { strict: schema.strict } : {}),
    };
  }
  return undefined;
}

/** Converts a chat request body into a Responses request body. */
export function chatToResponsesRequest(body: Record<string, unknown>, stream: boolean): Record<string, unknown> {
  const instructions: string[] = [];
  const input = inputItems(Array.isArray(body.messages) ? body.messages : [], instructions);
  const out: Record<string, unknown> = { model: body.model, input, stream };
  if (instructions.length > 0) out.instructions = instructions.join('\n\n');
  for (const field of PASSED_THROUGH) if (body[field] !== undefined) out[field] = body[field];
  const maxTokens = chatMaxTokens(body);
  if (maxTokens !== undefined) out.max_output_tokens = maxTokens;
  const tools = chatTools(body);
  if (tools.length > 0) {
    out.tools = tools.map((tool) => ({
      type: 'function',
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters ?? { type: 'object', properties: {} },
      strict: tool.strict ?? false,
    }));
  }
  const choice = chatToolChoice(body);
  if (choice) out.tool_choice = 'mode' in choice ? choice.mode : { type: 'function', name: choice.name };
  if (typeof body.reasoning_effort === 'string') out.reasoning = { effort: body.reasoning_effort };
  const format = textFormat(body.response_format);
  if (format) out.text = { format };
  return out;
}
