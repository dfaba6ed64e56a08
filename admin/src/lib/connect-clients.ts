/**
 * What each client program needs to talk to this gateway: environment variables (or a
 * config snippet), built from the gateway's URL and the mount points of the plugin that
 * serves it. Provider names live here, in the admin, never in the core. The notes are
 * message keys of the `connect` area (lib/messages/connect.ts).
 */
import type { connectMessages } from './messages/connect';

/** One client's setup. */
export interface ClientSetup {
  id: string;
  /** The program's name (a brand: not translated). */
  title: string;
  /** A name that is not a brand: a message key, shown instead of `title`. */
  titleKey?: keyof (typeof connectMessages)['en'];
  /** The plugin whose routes the client calls. */
  plugin: string;
  /** Default mount of that plugin when it is not loaded. */
  defaultMount: string;
  /** What to do with the snippet: a message key. */
  note: keyof (typeof connectMessages)['en'];
  /** The snippet for `baseUrl`, with `key` where the person's key goes. */
  snippet(baseUrl: string, key: string): string;
}

/** The clients the connect pages explain. */
export const CLIENTS: readonly ClientSetup[] = [
  {
    id: 'claude-code',
    title: 'Claude Code',
    plugin: 'claude',
    defaultMount: '/api',
    note: 'noteClaudeCode',
    snippet: (url, key) => `export ANTHROPIC_BASE_URL="${url}"\nexport ANTHROPIC_AUTH_TOKEN="${key}"`,
  },
  {
    id: 'gemini-cli',
    title: 'Gemini CLI',
    plugin: 'gemini',
    defaultMount: '/gemini',
    note: 'noteGeminiCli',
    snippet: (url, key) => `export GOOGLE_GEMINI_BASE_URL="${url}"\nexport GEMINI_API_KEY="${key}"`,
  },
  {
    id: 'codex-cli',
    title: 'Codex CLI',
    plugin: 'openai',
    defaultMount: '',
    note: 'noteCodexCli',
    snippet: (url, key) =>
      `# ~/.codex/config.toml\nmodel_provider = "switchyard"\n\n[model_providers.switchyard]\nname = "Switchyard"\nbase_url = "${url}/openai"\nwire_api = "responses"\nenv_key = "SWITCHYARD_API_KEY"\n\n# shell\nexport SWITCHYARD_API_KEY="${key}"`,
  },
  {
    id: 'openai-compatible',
    title: 'OpenAI-compatible',
    titleKey: 'openAiCompatibleTitle',
    plugin: 'openai',
    defaultMount: '',
    note: 'noteOpenAiCompatible',
    snippet: (url, key) => `export OPENAI_BASE_URL="${url}/openai/v1"\nexport OPENAI_API_KEY="${key}"`,
  },
];
