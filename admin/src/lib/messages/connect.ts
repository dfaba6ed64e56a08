/** Messages of the "Connect a client" pages (the admin's and the user portal's). */
import type { Catalog } from './locale.svelte';

const en = {
  title: 'Connect a client',
  gatewayUrl: 'Gateway URL (as your clients reach it)',
  adminKeyHint: 'Create a key on the {link} page and put it where the snippets say.',
  adminKeyLink: 'Keys',
  userKeyHint: 'Create a key under {link} and put it where the snippets say.',
  userKeyLink: 'My keys',
  keyPlaceholder: '<your Switchyard key>',
  copy: 'Copy',
  copied: 'Copied',
  copySnippet: 'Copy the {client} setup',
  notLoaded: 'The {plugin} plugin is not loaded on this gateway.',
  noneLoaded: 'No client plugin is loaded on this gateway; ask an admin to install one.',
  openAiCompatibleTitle: 'OpenAI-compatible tools and SDKs',
  noteClaudeCode: 'Put these in your shell profile, or in ~/.claude/settings.json under "env".',
  noteGeminiCli: 'Choose "Use Gemini API key" when the CLI asks how to sign in.',
  noteCodexCli: 'Add the provider to ~/.codex/config.toml and export the key.',
  noteOpenAiCompatible: 'For any tool that speaks the OpenAI Chat Completions API (SDKs, editors, chat apps).',
};

export const connectMessages: Catalog<keyof typeof en> = {
  en,
  'zh-CN': {
    title: '接入客户端',
    gatewayUrl: '网关地址（客户端访问它的地址）',
    adminKeyHint: '在{link}页面创建一个密钥，然后填到下面代码片段中的相应位置。',
    adminKeyLink: '密钥',
    userKeyHint: '在{link}中创建一个密钥，然后填到下面代码片段中的相应位置。',
    userKeyLink: '我的密钥',
    keyPlaceholder: '<你的 Switchyard 密钥>',
    copy: '复制',
    copied: '已复制',
    copySnippet: '复制 {client} 的配置',
    notLoaded: '此网关未加载 {plugin} 插件。',
    noneLoaded: '此网关没有加载任何客户端插件；请联系管理员安装。',
    openAiCompatibleTitle: 'OpenAI 兼容的工具和 SDK',
    noteClaudeCode: '把这些写入你的 shell 配置文件，或写入 ~/.claude/settings.json 的 "env" 中。',
    noteGeminiCli: 'CLI 询问登录方式时，选择 "Use Gemini API key"。',
    noteCodexCli: '把这个提供方加入 ~/.codex/config.toml，并导出密钥。',
    noteOpenAiCompatible: '适用于任何支持 OpenAI Chat Completions API 的工具（SDK、编辑器、聊天应用）。',
  },
};
