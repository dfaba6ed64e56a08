/**
 * The error a started stream ends with when upstream cut it: rendered by the route
 * protocol's `renderStreamError` as the stream's last frame (the status line is sent).
 */
import type { RenderableError } from '@switchyard/plugin-api';

/** What the client's protocol renders when upstream cut a stream the client was reading. */
export const STREAM_INTERRUPTED: Readonly<RenderableError> = Object.freeze({
  code: 'upstream_error',
  status: 502,
  message: 'The upstream stream was interrupted.',
});
