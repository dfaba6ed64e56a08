/**
 * Recognises Gemini CLI (`user-agent: GeminiCLI/<version>…` or, in its TUI builds,
 * `GeminiCLI-tui/<version>/<model> (…)`), so keys can be restricted to it
 * (`limits.clients: ["gemini-cli"]`).
 */
import type { ClientDetector } from '@switchyard/plugin-api';

const GEMINI_CLI = /^GeminiCLI(?:-[a-z]+)?\/v?\d+\.\d+/;

/** The Gemini CLI client detector. */
export const geminiCliClientDetector: ClientDetector = {
  id: 'gemini-cli',
  label: 'Gemini CLI',
  matches: (request) => GEMINI_CLI.test(request.headers['user-agent'] ?? ''),
};
