/**
 * Recognises Factory's Droid CLI (`user-agent: factory-cli/<version>`, or an
 * `x-factory-client` header naming droid or factory-cli), which reaches Claude models
 * through the Anthropic Messages API, so keys can be restricted to it
 * (`limits.clients: ["droid-cli"]`). A plugin for Factory's own accounts would own this
 * detector; until one exists the Claude plugin registers it.
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
