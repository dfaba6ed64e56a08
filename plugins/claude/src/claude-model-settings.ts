/**
 * Per-account model settings shared by the Claude account types: an allow-list of
 * model ids (`models`) and a mapping of requested ids to the ids sent upstream
 * (`modelMapping`, e.g. `{"claude-sonnet-4-5": "anthropic/claude-sonnet-4.5"}` for a
 * compatible endpoint naming models its own way). Which models an account admits is the
 * core's rule (see `ModelCatalog`): `models` when set, else {@link CLAUDE_MODEL_CATALOG}'s
 * defaults, plus the mapping's keys.
 */
import { z, type AccountView, type ModelCatalog, type RelayRequest, isRecord } from '@switchyard/plugin-api';

/** The models Claude accounts serve unless `settings.models` says otherwise. */
export const CLAUDE_MODEL_CATALOG: ModelCatalog = { defaults: ['claude-*'] };

/** The settings fields for models, to spread into an account type's settings schema. */
export const modelSettingsShape = {
  models: z
    .array(z.string().min(1))
    .optional()
    .describe(
      'Model ids or * patterns this account serves (empty or absent: claude-*; ["*"]: every model, for compatible endpoints).',
    )
    .meta({ title: 'Models' }),
  modelMapping: z
    .record(z.string().min(1), z.string().min(1))
    .optional()
    .describe('Requested model id -> model id sent upstream. Mapped ids are served even when not in `models`.')
    .meta({ title: 'Model mapping' }),
};

function mapping(account: AccountView): Readonly<Record<string, string>> {
  const value = account.settings.modelMapping;
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/**
 * The body to send when the account maps the requested model to another id (the parsed
 * body re-serialised with the new `model`, every other field kept); undefined when the
 * client's bytes can go as they are.
 */
export function bodyWithMappedModel(request: RelayRequest, account: AccountView): string | undefined {
  if (!request.model || !isRecord(request.body)) return undefined;
  const target = mapping(account)[request.model];
  if (target === undefined || target === request.model) return undefined;
  // Onto a null-prototype object: a client's own `__proto__` key stays an own key (a plain
  // `{}` target would take it as its prototype and drop it from the JSON).
  return JSON.stringify(Object.assign(Object.create(null) as Record<string, unknown>, request.body, { model: target }));
}
