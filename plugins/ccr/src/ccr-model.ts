/**
 * The model naming of CCR accounts. A client names `ccr,<route>`: the `ccr,` prefix picks
 * a CCR account (the plugin claims it, see `ModelCatalog.prefix`), and `<route>` is what
 * the upstream router gets, in Claude Code Router's own syntax `<provider>,<model>`
 * (`ccr,openrouter,deepseek/deepseek-chat`), or a bare model the router routes by its own
 * rules (`ccr,claude-sonnet-4-5`).
 */

/** The model-id prefix CCR accounts claim. */
export const CCR_MODEL_PREFIX = 'ccr,';

/** The model sent upstream: the requested model without the `ccr,` prefix (unchanged without it). */
export function upstreamModel(model: string): string {
  return model.startsWith(CCR_MODEL_PREFIX) ? model.slice(CCR_MODEL_PREFIX.length) : model;
}

/**
 * The model id a CCR request is priced by, from the requested model: for
 * `ccr,<provider>,<model>` the part after the provider segment (`deepseek/deepseek-chat`);
 * for `ccr,<model>` (no provider named: the router picks the route) the model the upstream
 * says it served, else `<model>`. The merged price table prices that id when it knows it
 * (exactly or by a pattern); otherwise the record is unpriced, like any unknown model.
 *
 * @param requested - The model the client asked for.
 * @param reported - The model the upstream's answer names, if any.
 */
export function pricedModel(requested: string, reported: string | undefined): string {
  const route = upstreamModel(requested);
  const comma = route.indexOf(',');
  if (comma >= 0 && comma < route.length - 1) return route.slice(comma + 1);
  return reported ?? route;
}
