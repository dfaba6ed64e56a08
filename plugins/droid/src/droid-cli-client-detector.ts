/**
 * Recognises Factory's Droid CLI (`user-agent: factory-cli/<version>`, or an
 * `x-factory-client` header naming droid or factory-cli), so keys can be restricted to
 * it (`limits.clients: ["droid-cli"]`), on the `/droid` routes and on any other route
 * it calls (it also reaches Claude models through the Anthropic Messages routes).
 */
import type { ClientDetector } from '@switchyard/plugin-api';

const FACTORY_CLI = /^factory-cli\/\d+\.\d+\.\d+/;
const FACTORY_CLIENT = /droid|factory-cli/i;

/** The Droid CLI client detector. */
export const droidCliClientDetector: ClientDetector = {
  id: 'droid-cli',
  label: 'Droid CLI',
  matches: (request) =>
    FACTORY_CLI.test(request.headers['user-agent'] ?? '') || FACTORY_CLIENT.test(request.headers['x-factory-client'] ?? ''),
};
