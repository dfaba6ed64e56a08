/**
 * How a `gemini-oauth` account calls Code Assist: the upstream URL for a relayed
 * request, and the body with the account's project in the envelope.
 */
import { joinUrl, isRecord } from '@switchyard/plugin-api';
import type { RelayRequest } from '@switchyard/plugin-api';
import { STREAM_ACTION } from './gemini-protocol.js';

/**
 * The envelope with the account's project. Copied onto a null-prototype object, so a
 * client's own `__proto__` key stays an own key instead of becoming the copy's prototype.
 */
function withProject(body: Record<string, unknown>, projectId: string): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, body, { project: projectId });
}

/** The upstream method, URL and body for a request in the `gemini-code-assist` protocol. */
export function codeAssistTarget(
  request: RelayRequest,
  endpoint: string,
  version: string,
  projectId: string | undefined,
): { method: string; url: string; body?: string | Uint8Array } {
  if (request.operation === 'operations') {
    return { method: 'GET', url: joinUrl(endpoint, `/${version}/operations/${encodeURIComponent(request.params.name ?? '')}`) };
  }
  // Native routes carry the method in the path; translated requests name it as the operation.
  const method = request.translated ? request.operation : (request.params.method ?? request.operation);
  const query = request.translated ? new URLSearchParams(method === STREAM_ACTION ? { alt: 'sse' } : {}) : request.query;
  const search = query.toString();
  const url = `${joinUrl(endpoint, `/${version}:${method}`)}${search ? `?${search}` : ''}`;
  const body = request.body;
  // The account's own project goes into the envelope; otherwise the client's bytes go as they are.
  if (projectId && isRecord(body) && 'project' in body && body.project !== projectId) {
    return { method: 'POST', url, body: JSON.stringify(withProject(body, projectId)) };
  }
  if (projectId && isRecord(body) && request.translated && !('project' in body)) {
    return { method: 'POST', url, body: JSON.stringify(withProject(body, projectId)) };
  }
  return { method: 'POST', url, body: request.translated ? JSON.stringify(body) : request.rawBody };
}
