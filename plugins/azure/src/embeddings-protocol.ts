/**
 * The `openai-embeddings` protocol: OpenAI's embeddings API (`POST /v1/embeddings`, what
 * Azure OpenAI serves at `/openai/deployments/{deployment}/embeddings`), unary JSON
 * only. The OpenAI plugin does not define it (yet), so this plugin does; should it move
 * there, the Azure routes and account type keep referring to it by id.
 */
import { type ProtocolDefinition, type RequestFacts, isRecord, nonEmptyString } from '@switchyard/plugin-api';
import { embeddingsUsage } from './azure-usage.js';
import { renderOpenAiError } from './openai-error.js';
import { OPENAI_EMBEDDINGS } from './protocol-ids.js';

/** The `openai-embeddings` protocol definition (permission family `openai`, like the other OpenAI protocols). */
export const openAiEmbeddingsProtocol: ProtocolDefinition = {
  id: OPENAI_EMBEDDINGS,
  family: 'openai',
  label: 'OpenAI embeddings',
  describe(request): RequestFacts {
    const model = isRecord(request.body) ? nonEmptyString(request.body.model) : undefined;
    return model ? { model, stream: false } : { stream: false };
  },
  renderError: renderOpenAiError,
  usage: {
    fromJson: (body) => (isRecord(body) ? embeddingsUsage(body.usage, body.model) : null),
    // Embeddings never stream; a tap that is handed a stream anyway reports nothing.
    createStreamTap: () => ({ push: () => undefined, end: () => null }),
  },
};
