/** The admin is built on its first request, once, and never for relay traffic. */
import { expect } from 'chai';
import type { Context, Middleware } from 'koa';
import { isAdminPath, lazyAdminMiddleware } from '../../src/admin-api/lazy-admin.js';

const ctxFor = (path: string) => ({ path, body: undefined as unknown }) as unknown as Context;

describe('lazy admin mount', () => {
  it('claims /admin and /web and what is below them, nothing else', () => {
    for (const path of ['/admin', '/admin/', '/admin/api/keys', '/web', '/web/x']) expect(isAdminPath(path), path).to.equal(true);
    for (const path of ['/', '/api/v1/messages', '/administrator', '/webhook', '/claude/admin'])
      expect(isAdminPath(path), path).to.equal(false);
  });

  it('passes relay requests on without building the admin, and builds it once for concurrent first admin requests', async () => {
    let builds = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const middleware = lazyAdminMiddleware(async () => {
      builds += 1;
      await gate;
      const admin: Middleware = async (ctx) => {
        ctx.body = `admin ${ctx.path}`;
      };
      return admin;
    });
    let passed = 0;
    await middleware(ctxFor('/api/v1/messages'), async () => void (passed += 1));
    expect({ builds, passed }).to.deep.equal({ builds: 0, passed: 1 });

    const first = ctxFor('/admin/');
    const second = ctxFor('/admin/api/me');
    const both = Promise.all([middleware(first, async () => {}), middleware(second, async () => {})]);
    release();
    await both;
    expect(builds).to.equal(1);
    expect([first.body, second.body]).to.deep.equal(['admin /admin/', 'admin /admin/api/me']);
  });

  it('answers the failing request with the error and builds again on the next one', async () => {
    let builds = 0;
    const middleware = lazyAdminMiddleware(async () => {
      builds += 1;
      if (builds === 1) throw new Error('admin build failed');
      return async (ctx) => {
        ctx.body = 'ok';
      };
    });
    let error: unknown;
    await middleware(ctxFor('/admin'), async () => {}).catch((caught: unknown) => (error = caught));
    expect((error as Error).message).to.equal('admin build failed');
    const ctx = ctxFor('/admin');
    await middleware(ctx, async () => {});
    expect({ builds, body: ctx.body }).to.deep.equal({ builds: 2, body: 'ok' });
  });
});
