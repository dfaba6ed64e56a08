/** Messages of the sign-in and registration pages. */
import type { Catalog } from './locale.svelte';

const en = {
  signInTitle: 'Sign in',
  signInHeading: 'Switchyard sign-in',
  username: 'Username',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  unreachable: 'Could not reach the gateway.',
  keyUsageLink: 'Have an API key? See its usage',
  registerLink: 'No account yet? Create one',
  registerTitle: 'Create an account',
  invited: 'You were invited; choose a username and a password.',
  newPassword: 'Password (8 characters or more)',
  creating: 'Creating…',
  createAccount: 'Create account',
  signInLink: 'Have an account? Sign in',
};

export const authMessages: Catalog<keyof typeof en> = {
  en,
  'zh-CN': {
    signInTitle: '登录',
    signInHeading: '登录 Switchyard',
    username: '用户名',
    password: '密码',
    signIn: '登录',
    signingIn: '正在登录…',
    unreachable: '无法连接到网关。',
    keyUsageLink: '有 API 密钥？查看它的用量',
    registerLink: '还没有账号？注册一个',
    registerTitle: '注册账号',
    invited: '你收到了邀请；请设置用户名和密码。',
    newPassword: '密码（至少 8 个字符）',
    creating: '正在创建…',
    createAccount: '注册',
    signInLink: '已有账号？登录',
  },
};
