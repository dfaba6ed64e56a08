/**
 * `Expect: 100-continue` (curl sends it with every body over 1 MB). Node answers
 * "100 Continue" the moment such a request arrives, before the gateway has looked at its
 * key, its size or the memory budget, so a client that will be refused uploads its whole
 * body first. Instead, the request goes to the app as any other, and whoever reads the
 * body says "100 Continue" when it starts reading: a refused request is answered before
 * the body is sent.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Hands requests that expect 100 Continue to the app without answering 100 first. */
export function deferContinue(server: Server): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => server.emit('request', req, res));
}

/** Invites the body of a request that waits for 100 Continue; does nothing for others. */
export function inviteBody(req: IncomingMessage, res: ServerResponse): void {
  const expectHeader = req.headers.expect;
  if (expectHeader !== undefined && !res.headersSent && expectHeader.toLowerCase() === '100-continue') res.writeContinue();
}
