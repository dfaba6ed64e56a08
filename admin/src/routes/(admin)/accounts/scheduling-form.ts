/**
 * The account dialog's scheduling fields, from an account's scheduling view (values in
 * effect and which come from the config file) and back to `PUT /accounts/{id}/scheduling`.
 * An emptied field is sent as null: back to the config file's value, or none.
 */
import type { Body, Data } from '$lib/api/client';

type Scheduling = Data<'listAccounts'>[number]['scheduling'];
type Num = number | null | undefined | '';

/** Upstream error kinds that have a cooldown. */
export const ERROR_KINDS = [
  'rate_limited',
  'overloaded',
  'auth_failed',
  'forbidden',
  'upstream_5xx',
  'network',
  'quota_exhausted',
] as const;
type ErrorKind = (typeof ERROR_KINDS)[number];

/** The fields. */
export interface SchedulingForm {
  dedicated: 'default' | 'yes' | 'no';
  weight: Num;
  pacingGap: Num;
  pacingTimeout: Num;
  cooldowns: Record<ErrorKind, Num>;
}

const num = (value: Num): number | undefined =>
  value === '' || value === null || value === undefined ? undefined : Number(value);

/** The form for an account's scheduling (values the config file gives stay empty: they show as hints). */
export function schedulingForm(view: Scheduling | undefined): SchedulingForm {
  const own = (field: 'dedicated' | 'weight' | 'pacing' | 'cooldownMs') => view !== undefined && !view.fromConfig.includes(field);
  const cooldowns = Object.fromEntries(
    ERROR_KINDS.map((kind) => [kind, own('cooldownMs') ? view?.cooldownMs?.[kind] : undefined]),
  ) as Record<ErrorKind, Num>;
  return {
    dedicated: own('dedicated') && view?.dedicated !== undefined ? (view.dedicated ? 'yes' : 'no') : 'default',
    weight: own('weight') ? view?.weight : undefined,
    pacingGap: own('pacing') ? view?.pacing?.minGapMs : undefined,
    pacingTimeout: own('pacing') ? view?.pacing?.timeoutMs : undefined,
    cooldowns,
  };
}

/** The body that sets the form's controls. */
export function schedulingBody(form: SchedulingForm): Body<'setAccountScheduling'> {
  const gap = num(form.pacingGap);
  const cooldowns = Object.fromEntries(
    ERROR_KINDS.flatMap((kind) => (num(form.cooldowns[kind]) === undefined ? [] : [[kind, num(form.cooldowns[kind])!]])),
  );
  return {
    dedicated: form.dedicated === 'default' ? null : form.dedicated === 'yes',
    weight: num(form.weight) ?? null,
    pacing: gap === undefined ? null : { minGapMs: gap, timeoutMs: num(form.pacingTimeout) ?? 60_000 },
    cooldownMs: Object.keys(cooldowns).length > 0 ? cooldowns : null,
  };
}

/** True when the form sets anything (a new account needs no scheduling request otherwise). */
export function setsAnything(form: SchedulingForm): boolean {
  const body = schedulingBody(form);
  return Object.values(body).some((value) => value !== null);
}
