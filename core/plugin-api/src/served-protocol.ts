/**
 * A protocol an account type serves only when some loaded plugin defines it: e.g. a
 * provider offering another plugin's chat protocol without making that plugin mandatory.
 * When the protocol is not loaded the loader leaves it out of the type's served list
 * with a note in the log; when it is loaded it is served like any other.
 *
 * @example
 * ```ts
 * serves: ['acme-chat', { protocol: 'other-chat', whenAvailable: true }]
 * ```
 */
export interface OptionalServedProtocol {
  /** The protocol id. */
  readonly protocol: string;
  /** Always `true`: serve the protocol when its plugin is loaded, skip it otherwise. */
  readonly whenAvailable: true;
}

/** One entry of {@link AccountTypeDefinition.serves}: a protocol id, or one served when available. */
export type ServedProtocol = string | OptionalServedProtocol;

/**
 * The protocol id of a {@link ServedProtocol} entry.
 *
 * @param entry - A `serves` entry.
 * @returns The id, whether the entry is a plain id or served when available.
 */
export function servedProtocolId(entry: ServedProtocol): string {
  return typeof entry === 'string' ? entry : entry.protocol;
}
