/**
 * What each client program needs to talk to this gateway: environment variables (or a
 * config snippet), built from the gateway's URL and the mount points of the plugin that
 * serves it. Provider names live here, in the admin, never in the core.
 */

/** One client's setup. */
export interface ClientSetup {
  id: string;
  title: string;
  /** The plugin whose routes the client calls. */
  plugin: string;
  /** Default mount of that plugin when it is not loaded. */
  defaultMount: string;
  note: string;
  snippet(baseUrl: string): string;
}

/** The clients the page explains. */
export const CLIENTS: readonly ClientSetup[] = [
  {
    id: 'claude-code',
    title: 'Claude Code',
    plugin: 'claude',
    defaultMount: '/api',
    note: 'Put these in your shell profile, or in ~/.claude/settings.json under "env".',
    snippet: (url) => `export ANTHROPIC_BASE_URL="${url}"\nexport ANTHROPIC_AUTH_TOKEN="<your Switchyard key>"`,
  },
  {
    id: 'gemini-cli',
    title: 'Gemini CLI',
    plugin: 'gemini',
    defaultMount: '/gemini',
    note: 'Choose "Use Gemini API key" when the CLI asks how to sign in.',
    snippet: (url) => `export GOOGLE_GEMINI_BASE_URL="${url}"\nexport GEMINI_API_KEY="<your Switchyard key>"`,
  },
  {
    id: 'codex-cli',
    title: 'Codex CLI',
    plugin: 'openai',
    defaultMount: '',
    note: 'Add the provider to ~/.codex/config.toml and export the key.',
    snippet: (url) =>
      `# ~/.codex/config.toml\nmodel_provider = "switchyard"\n\n[model_providers.switchyard]\nname = "Switchyard"\nbase_url = "${url}/openai"\nwire_api = "responses"\nenv_key = "SWITCHYARD_API_KEY"\n\n# shell\nexport SWITCHYARD_API_KEY="<your Switchyard key>"`,
  },
  {
    id: 'openai-compatible',
    title: 'OpenAI-compatible tools and SDKs',
    plugin: 'openai',
    defaultMount: '',
    note: 'For any tool that speaks the OpenAI Chat Completions API (SDKs, editors, chat apps).',
    snippet: (url) => `export OPENAI_BASE_URL="${url}/openai/v1"\nexport OPENAI_API_KEY="<your Switchyard key>"`,
  },
];
