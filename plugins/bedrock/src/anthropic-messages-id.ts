/**
 * The id of the Anthropic Messages protocol, which the Claude plugin defines; a bedrock
 * account serves it (so the Claude plugin must be loaded alongside).
 */

/** The `anthropic-messages` protocol id. */
export const ANTHROPIC_MESSAGES_PROTOCOL = 'anthropic-messages';
