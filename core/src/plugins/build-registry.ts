/**
 * Builds the frozen {@link PluginRegistry} from the declared plugins and what their
 * setups registered.
 */
import { servedProtocolId } from '@switchyard/plugin-api';
import type {
  AccountTypeDefinition,
  HttpMethod,
  Logger,
  ModelPrice,
  PriceTable,
  TranslatorDefinition,
} from '@switchyard/plugin-api';
import type {
  Extensions,
  LoadedPlugin,
  PluginRegistry,
  RegisteredAccountType,
  RegisteredProtocol,
  RegisteredRoute,
} from './registry-types.js';
import { credentialSchemaFor, settingsSchemaFor } from './account-type-schemas.js';

function translatorKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

function freezeExtensions(extensions: Extensions): Extensions {
  const frozen = {} as Record<string, unknown>;
  for (const [name, value] of Object.entries(extensions)) frozen[name] = Array.isArray(value) ? Object.freeze([...value]) : value;
  return Object.freeze(frozen) as unknown as Extensions;
}

/**
 * Merges prices: each plugin's declared `pricing`, then its `addPrices` tables (its own
 * later entries win). Across plugins the first plugin to price a model keeps it; later
 * ones are ignored with a warning.
 */
function mergePrices(
  plugins: readonly LoadedPlugin[],
  added: ReadonlyMap<string, readonly PriceTable[]>,
  logger: Logger,
): PriceTable {
  const merged: Record<string, ModelPrice> = {};
  const owners = new Map<string, string>();
  for (const { plugin } of plugins) {
    const own: Record<string, ModelPrice> = Object.assign({}, plugin.pricing, ...(added.get(plugin.id) ?? []));
    for (const [model, price] of Object.entries(own)) {
      const owner = owners.get(model);
      if (owner !== undefined) {
        logger.warn('model priced by several plugins; keeping the first', { model, kept: owner, ignored: plugin.id });
        continue;
      }
      owners.set(model, plugin.id);
      merged[model] = price;
    }
  }
  return Object.freeze(merged);
}

/**
 * Assembles and freezes the registry. Expects plugins that passed `declarePlugins`
 * (unique ids, known protocols for account types and routes). A translator whose `from`
 * or `to` protocol no loaded plugin defines is left out, with a warning naming the
 * plugin and the missing protocol; so is a protocol an account type serves "when
 * available", with an info line.
 */
export function buildRegistry(input: {
  plugins: readonly LoadedPlugin[];
  extensions: Extensions;
  addedPrices: ReadonlyMap<string, readonly PriceTable[]>;
  logger: Logger;
}): PluginRegistry {
  const protocols = new Map<string, RegisteredProtocol>();
  const accountTypes = new Map<string, RegisteredAccountType>();
  const translators = new Map<string, TranslatorDefinition>();
  const routes: RegisteredRoute[] = [];
  const pendingTranslators: { pluginId: string; definition: TranslatorDefinition }[] = [];
  const pendingTypes: { pluginId: string; definition: AccountTypeDefinition }[] = [];

  for (const { plugin, mounts } of input.plugins) {
    const pluginId = plugin.id;
    for (const definition of plugin.protocols ?? []) protocols.set(definition.id, Object.freeze({ pluginId, definition }));
    for (const definition of plugin.accountTypes ?? []) pendingTypes.push({ pluginId, definition });
    for (const definition of plugin.translators ?? []) pendingTranslators.push({ pluginId, definition });
    for (const mount of mounts) {
      for (const definition of plugin.routes?.routes ?? []) {
        const methods: readonly HttpMethod[] = Object.freeze(
          Array.isArray(definition.method) ? [...definition.method] : [definition.method as HttpMethod],
        );
        routes.push(Object.freeze({ pluginId, mount, methods, definition }));
      }
    }
  }

  // A protocol served "when available" whose plugin is not loaded is left out of the type's list.
  for (const { pluginId, definition } of pendingTypes) {
    const serves: string[] = [];
    for (const entry of definition.serves) {
      const id = servedProtocolId(entry);
      if (typeof entry === 'string' || protocols.has(id)) serves.push(id);
      else
        input.logger.info('account type does not serve a protocol that is not loaded (served when available)', {
          plugin: pluginId,
          accountType: definition.id,
          protocol: id,
        });
    }
    accountTypes.set(
      definition.id,
      Object.freeze({
        pluginId,
        definition,
        serves: Object.freeze(serves),
        credentialSchema: credentialSchemaFor(definition),
        settingsSchema: settingsSchemaFor(definition),
      }),
    );
  }

  // A translator may bridge protocols of plugins that are not loaded: it is left out.
  for (const { pluginId, definition } of pendingTranslators) {
    const missing = [definition.from, definition.to].filter((id) => !protocols.has(id));
    if (missing.length > 0) {
      input.logger.warn('translator left out: its protocol is not loaded', {
        plugin: pluginId,
        translator: `${definition.from} -> ${definition.to}`,
        missingProtocols: missing,
      });
      continue;
    }
    translators.set(translatorKey(definition.from, definition.to), definition);
  }

  const protocolList = Object.freeze([...protocols.values()]);
  const accountTypeList = Object.freeze([...accountTypes.values()]);
  const translator = (from: string, to: string): TranslatorDefinition | undefined => translators.get(translatorKey(from, to));

  return Object.freeze({
    plugins: Object.freeze([...input.plugins]),
    routes: Object.freeze(routes),
    extensions: freezeExtensions(input.extensions),
    prices: mergePrices(input.plugins, input.addedPrices, input.logger),
    protocol: (id: string) => protocols.get(id),
    protocols: () => protocolList,
    accountType: (id: string) => accountTypes.get(id),
    accountTypes: () => accountTypeList,
    translator,
    upstreamProtocolFor(accountTypeId: string, routeProtocol: string): string | undefined {
      const type = accountTypes.get(accountTypeId);
      if (!type) return undefined;
      if (type.serves.includes(routeProtocol)) return routeProtocol;
      return type.serves.find((served) => translator(routeProtocol, served) !== undefined);
    },
  });
}
