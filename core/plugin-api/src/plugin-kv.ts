/** A plugin's own key-value store, namespaced by plugin id. Values are JSON. */
export interface PluginKv {
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Stores a value; with `ttlMs` it expires by itself. */
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
}
