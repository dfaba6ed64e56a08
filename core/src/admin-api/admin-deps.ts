/**
 * The services admin API handlers use, taken from the gateway's container.
 */
import type { Cradle } from '../container/cradle.js';

/** What every admin handler can reach. */
export type AdminDeps = Pick<
  Cradle,
  | 'config'
  | 'log'
  | 'store'
  | 'registry'
  | 'secrets'
  | 'http'
  | 'pluginKv'
  | 'keys'
  | 'accounts'
  | 'priceBook'
  | 'adminSessions'
  | 'loginThrottle'
  | 'authFlows'
  | 'timeBuckets'
  | 'scheduler'
  | 'clock'
  | 'users'
  | 'signIn'
  | 'invites'
  | 'notifications'
  | 'accountChecks'
  | 'cards'
  | 'notificationTargets'
>;
