/** Model patterns of key limits: exact ids, or `*` for any run of characters; and the form a model is judged in. */
import { modelPatternSource } from '@switchyard/plugin-api';

function compile(pattern: string): RegExp {
  return new RegExp(`^${modelPatternSource(pattern)}$`, 'i');
}

/**
 * True when `model` matches any of `patterns` (case-insensitive; `*` matches any run of
 * characters).
 *
 * @example
 * matchesModel('big-model-4-20250101', ['big-model-*']); // true
 */
export function matchesModel(model: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => compile(pattern).test(model));
}

/** A model id as key rules judge it: printable ASCII, no spaces. */
const JUDGEABLE_MODEL = /^[\x21-\x7e]+$/;

/**
 * The form a requested model is judged in: surrounding whitespace (Unicode included)
 * removed, lower case. Undefined when what is left is empty or holds anything but
 * printable ASCII (spaces, control characters, look-alike letters): no rule can judge
 * that, so a key with model rules refuses it.
 *
 * @example
 * normaliseModel(' Big-Model-4\n'); // 'big-model-4'
 * normaliseModel('big model'); // undefined
 */
export function normaliseModel(model: string): string | undefined {
  const judged = model.trim().toLowerCase();
  return JUDGEABLE_MODEL.test(judged) ? judged : undefined;
}
