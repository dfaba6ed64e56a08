import type { PluginKv } from '@switchyard/plugin-api';
import type { PluginKvRepository } from '../store/types.js';

/** A plugin's key-value store: the shared repository, namespaced by plugin id. */
export function pluginKvFor(repository: PluginKvRepository, pluginId: string): PluginKv {
  return {
    get: <T>(key: string) => repository.get<T>(pluginId, key),
    set: (key, value, ttlMs) => repository.set(pluginId, key, value, ttlMs),
    delete: (key) => repository.delete(pluginId, key),
  };
}
