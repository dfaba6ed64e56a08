/** The client's answer when the last attempt failed without an upstream answer to pass on. */
import { GatewayError, type UpstreamError } from '@switchyard/plugin-api';

/** The gateway error for the last attempt's `error` (adapter messages are for operators, never shown to clients). */
export function upstreamFailureError(error: UpstreamError): GatewayError {
  const retry = error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs };
  if (error.kind === 'bad_request')
    return new GatewayError('invalid_request', 'The upstream call for this request was refused as invalid.', retry);
  if (error.kind === 'network' && /timeout/i.test(error.message)) {
    return new GatewayError('upstream_timeout', 'The upstream provider did not answer in time.', retry);
  }
  return new GatewayError('upstream_error', `The upstream provider could not be reached (${error.kind}).`, retry);
}
