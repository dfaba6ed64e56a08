/**
 * The echo plugin's routes, mounted at `/echo` by default: the relayed echo endpoint,
 * a model list answered by the gateway, and the pre-connect `HEAD` some clients send.
 */
import type { RouteHandler, RouteSet } from '@switchyard/plugin-api';
import { ECHO_PROTOCOL } from './echo-protocol.js';

const listEchoModels: RouteHandler = async (_request, context) => {
  const models = await context.listModels(ECHO_PROTOCOL);
  return { status: 200, body: { data: models.map((id) => ({ id })) } };
};

const answerPreConnect: RouteHandler = () => ({ status: 200 });

/** Routes of the echo plugin. */
export const echoRoutes: RouteSet = {
  mounts: ['/echo'],
  routes: [
    { method: 'POST', path: '/v1/echo', protocol: ECHO_PROTOCOL, operation: 'echo' },
    { method: 'GET', path: '/v1/models', protocol: ECHO_PROTOCOL, operation: 'models', handle: listEchoModels },
    // '' matches the mount point with and without its trailing slash (`HEAD /echo`, `HEAD /echo/`).
    { method: 'HEAD', path: '', protocol: ECHO_PROTOCOL, auth: 'none', handle: answerPreConnect },
  ],
};
