/**
 * The Gemini routes, mounted at `/gemini` by default: the Gemini API under `/v1beta`
 * and `/v1` (`models/{model}:{action}`, one route per action),
 * model lists, and Code Assist's `v1internal:{method}` calls.
 */
import type { RouteDefinition, RouteHandler, RouteSet } from '@switchyard/plugin-api';
import { GEMINI_CODE_ASSIST } from './gemini-code-assist-protocol.js';
import { GEMINI, GEMINI_ACTIONS } from './gemini-protocol.js';
import { googleErrorBody } from './google-error.js';

function modelEntry(id: string): Record<string, unknown> {
  return {
    name: `models/${id}`,
    version: '001',
    displayName: id,
    supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
  };
}

const listModels: RouteHandler = async (_request, context) => {
  const ids = [...new Set(await context.listModels(GEMINI))].sort();
  return { status: 200, body: { models: ids.map(modelEntry) } };
};

const getModel: RouteHandler = async (request, context) => {
  const id = (request.params.model ?? '').replace(/^models\//, '');
  const ids = await context.listModels(GEMINI);
  if (ids.includes(id)) return { status: 200, body: modelEntry(id) };
  return { status: 404, body: googleErrorBody({ code: 'not_found', status: 404, message: `Model ${id} is not served here.` }) };
};

const versioned = (version: string): RouteDefinition[] => [
  // `:model` then a literal colon and the action: one route (and operation) per action.
  ...GEMINI_ACTIONS.map((action): RouteDefinition => ({
    method: 'POST',
    path: `/${version}/models/:model\\:${action}`,
    protocol: GEMINI,
    operation: action,
  })),
  { method: 'GET', path: `/${version}/models`, protocol: GEMINI, handle: listModels },
  { method: 'GET', path: `/${version}/models/:model`, protocol: GEMINI, handle: getModel },
];

/** The plugin's routes. */
export const geminiRoutes: RouteSet = {
  mounts: ['/gemini'],
  routes: [
    ...versioned('v1beta'),
    ...versioned('v1'),
    // A literal colon, then the method: `/v1internal:generateContent`.
    { method: 'POST', path: '/v1internal\\::method', protocol: GEMINI_CODE_ASSIST, operation: 'v1internal' },
    { method: 'GET', path: '/v1internal/operations/:name', protocol: GEMINI_CODE_ASSIST, operation: 'operations' },
  ],
};
