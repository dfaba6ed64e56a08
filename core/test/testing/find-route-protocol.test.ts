import { expect } from 'chai';
import { z } from 'zod';
import { PLUGIN_API_VERSION, definePlugin } from '@switchyard/plugin-api';
import { findRouteProtocol } from '../../src/testing/conformance/conformance-harness.js';
import { protocol } from '../plugins/fixtures.js';

/** A plugin whose routes (and their mount) come from create, from its options. */
const mounted = definePlugin({
  id: 'mounted',
  apiVersion: PLUGIN_API_VERSION,
  options: z.object({ mount: z.string().default('/default') }),
  protocols: [protocol('mounted-proto')],
  create: ({ options }) => ({
    routes: { mounts: [options.mount], routes: [{ method: 'POST', path: '/v1/call', protocol: 'mounted-proto' }] },
  }),
});

describe('the conformance suite finds the route protocol', () => {
  it('in routes a plugin builds in create, with the suite options or the defaults', () => {
    expect(findRouteProtocol([mounted], '/default/v1/call')?.id).to.equal('mounted-proto');
    expect(findRouteProtocol([mounted], '/custom/v1/call', { mounted: { mount: '/custom' } })?.id).to.equal('mounted-proto');
    expect(findRouteProtocol([mounted], '/default/v1/call', { mounted: { mount: '/custom' } })).to.equal(undefined);
  });
});
