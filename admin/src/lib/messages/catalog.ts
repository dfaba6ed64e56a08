/**
 * The one message catalog: every area file of this folder (`cards.ts`, `keys.ts`, …)
 * folded in under its area's name. Pages translate with `translator(catalog.area)` (or
 * the area's own export, the same object); `test/messages.test.ts` checks that every area
 * file is folded in here and that English and Simplified Chinese have the same keys.
 *
 * To add an area: write `NAME.ts` exporting one `Catalog` (see `cards.ts`), then add it
 * below.
 */
import { accountMessages } from './accounts';
import { authMessages } from './auth';
import { cardMessages } from './cards';
import { commonMessages } from './common';
import { connectMessages } from './connect';
import { dashboardMessages } from './dashboard';
import { formMessages } from './forms';
import { keyUsageMessages } from './key-usage';
import { keyMessages } from './keys';
import { layoutMessages } from './layout';
import { meMessages } from './me';
import { requestMessages } from './requests';
import { settingsMessages } from './settings';
import { usageMessages } from './usage';
import { userMessages } from './users';

/** Every area's messages, by area. */
export const catalog = {
  accounts: accountMessages,
  auth: authMessages,
  cards: cardMessages,
  common: commonMessages,
  connect: connectMessages,
  dashboard: dashboardMessages,
  forms: formMessages,
  keyUsage: keyUsageMessages,
  keys: keyMessages,
  layout: layoutMessages,
  me: meMessages,
  requests: requestMessages,
  settings: settingsMessages,
  usage: usageMessages,
  users: userMessages,
};

/** The areas of the catalog. */
export type Area = keyof typeof catalog;

/** A message's full name: `area.key` (`'layout.signOut'`). */
export type MessageKey = {
  [A in Area]: `${A}.${Extract<keyof (typeof catalog)[A]['en'], string>}`;
}[Area];
