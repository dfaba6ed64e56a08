/**
 * The frozen registry built from every loaded plugin: what the relay, scheduler, key
 * policies and usage pipeline read at request time.
 */
import type { z } from 'zod';
import type {
  AccountErrorReaction,
  AccountTypeDefinition,
  AffinityProvider,
  CandidateFilter,
  ClientDetector,
  HttpMethod,
  KeyPolicy,
  PriceTable,
  ProtocolDefinition,
  RouteDefinition,
  SelectionStrategy,
  SwitchyardPlugin,
  TranslatorDefinition,
  UsageEnricher,
  UsageSink,
} from '@switchyard/plugin-api';

/** A plugin as loaded: its definition, where it came from, its validated options and mounts. */
export interface LoadedPlugin {
  /**
   * The plugin for this gateway: its definition with what its `create` returned joined
   * in, so every part (`accountTypes`, `routes`, `setup`, ...) is read from here.
   */
  readonly plugin: SwitchyardPlugin;
  /** Package name or resolved folder path it was loaded from ("inline" for objects passed in). */
  readonly source: string;
  readonly options: unknown;
  /** Effective mount points (the config's override or the plugin's defaults). */
  readonly mounts: readonly string[];
}

export interface RegisteredProtocol {
  readonly pluginId: string;
  readonly definition: ProtocolDefinition;
}

export interface RegisteredAccountType {
  readonly pluginId: string;
  readonly definition: AccountTypeDefinition;
  /**
   * The protocol ids the type serves natively with the plugins loaded: its plain `serves`
   * entries and those served "when available" whose protocol is loaded. Read this, not
   * `definition.serves`.
   */
  readonly serves: readonly string[];
  /** The credential schema with the optional `baseUrl` every account type accepts. */
  readonly credentialSchema: z.ZodObject;
  /** The settings schema (an empty object schema when the type declares none). */
  readonly settingsSchema: z.ZodObject;
}

export interface RegisteredRoute {
  readonly pluginId: string;
  /** Mount point, `''` for the bare root. */
  readonly mount: string;
  readonly methods: readonly HttpMethod[];
  readonly definition: RouteDefinition;
}

export interface IntervalTask {
  readonly pluginId: string;
  readonly name: string;
  readonly intervalMs: number;
  readonly task: () => void | Promise<void>;
}

export interface ShutdownHook {
  readonly pluginId: string;
  readonly name: string;
  readonly hook: () => void | Promise<void>;
}

/** Everything plugins registered through the extension points during setup. */
export interface Extensions {
  readonly filters: readonly CandidateFilter[];
  readonly affinities: readonly AffinityProvider[];
  readonly errorReactions: readonly AccountErrorReaction[];
  readonly strategy: SelectionStrategy | undefined;
  readonly policies: readonly KeyPolicy[];
  readonly clientDetectors: readonly ClientDetector[];
  readonly enrichers: readonly UsageEnricher[];
  readonly sinks: readonly UsageSink[];
  readonly intervals: readonly IntervalTask[];
  readonly shutdownHooks: readonly ShutdownHook[];
}

/** The registry after both load phases; frozen. */
export interface PluginRegistry {
  readonly plugins: readonly LoadedPlugin[];
  readonly routes: readonly RegisteredRoute[];
  readonly extensions: Extensions;
  /** Merged price table of every plugin (declared `pricing` plus `addPrices`). */
  readonly prices: PriceTable;
  protocol(id: string): RegisteredProtocol | undefined;
  protocols(): readonly RegisteredProtocol[];
  accountType(id: string): RegisteredAccountType | undefined;
  accountTypes(): readonly RegisteredAccountType[];
  translator(from: string, to: string): TranslatorDefinition | undefined;
  /**
   * How an account type can serve a route protocol: the protocol itself when served
   * natively, else the first served protocol with a translator from it; undefined when
   * it cannot.
   */
  upstreamProtocolFor(accountTypeId: string, routeProtocol: string): string | undefined;
}
