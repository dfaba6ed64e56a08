/**
 * Recognises Codex CLI (`user-agent: codex_exec/<version> (…)`, also `codex_cli_rs/` and
 * `codex_vscode/`), so keys can be restricted to it (`limits.clients: ["codex-cli"]`).
 */
import type { ClientDetector } from '@switchyard/plugin-api';

const CODEX_CLI = /^(?:codex_exec|codex_cli_rs|codex_vscode)\/\d+\.\d+/;

/** The Codex CLI client detector. */
export const codexCliClientDetector: ClientDetector = {
  id: 'codex-cli',
  label: 'Codex CLI',
  matches: (request) => CODEX_CLI.test(request.headers['user-agent'] ?? ''),
};
