import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createPool, runLoad, type LoadTarget } from '../src/load.js';
import { runSideBySide, sideBySideCosts, type SideBySideRound } from '../src/side-by-side.js';

/** A round with the given throughputs (the rest as a clean round has it). */
function round(onPerSecond: number, offPerSecond: number, extra: Partial<SideBySideRound> = {}): SideBySideRound {
  return { onPerSecond, offPerSecond, windowMs: 5000, onCompleted: 100, offCompleted: 100, errors: 0, ...extra };
}

describe('bench: side-by-side rounds', () => {
  describe('sideBySideCosts', () => {
    it('averages per-round costs and computes the interval over crossover pairs', () => {
      // Each pair: +2% plus or minus a process effect of 3% that the swap cancels.
      const rounds = [round(95, 100), round(99, 100), round(95, 100), round(99, 100)];
      const costs = sideBySideCosts(rounds);
      expect(costs.perRound.map((cost) => Number(cost.toFixed(4)))).to.deep.equal([0.05, 0.01, 0.05, 0.01]);
      expect(costs.mean).to.be.closeTo(0.03, 1e-9);
      // Both pair means are 3%: no spread left once the process effect cancels.
      expect(costs.ci95).to.be.closeTo(0, 1e-9);
    });

    it('widens the interval with the spread of the pair means (Student t for few pairs)', () => {
      const costs = sideBySideCosts([round(98, 100), round(98, 100), round(94, 100), round(94, 100)]);
      // Pair means 2% and 6%: sd 2.83%, standard error 2%, t(1 df) = 12.71.
      expect(costs.mean).to.be.closeTo(0.04, 1e-9);
      expect(costs.ci95).to.be.closeTo(12.71 * 0.02, 1e-6);
    });

    it('leaves out rounds with errors, and pairs with one', () => {
      const costs = sideBySideCosts([round(98, 100), round(98, 100, { errors: 1 }), round(96, 100), round(96, 100)]);
      expect(costs.perRound).to.have.length(3);
      expect(costs.ci95).to.satisfy(Number.isNaN); // one clean pair only
    });

    it('compares the CPU each side spent per request', () => {
      const cpu = (cpuMs: number, mainMs: number) => ({ cpuMs, mainMs, gcMs: 0 });
      const costs = sideBySideCosts([
        round(98, 100, { onCpu: cpu(110, 90), offCpu: cpu(100, 85), onCompleted: 100, offCompleted: 100 }),
        round(98, 100, { onCpu: cpu(220, 180), offCpu: cpu(200, 170), onCompleted: 200, offCompleted: 200 }),
      ]);
      expect(costs.cpuCost).to.be.closeTo(0.1, 1e-9);
      expect(costs.mainThreadCost).to.be.closeTo(90 / 85 - 1, 1e-9);
    });
  });

  describe('runSideBySide', () => {
    let server: Server;
    let origin: string;
    before(async () => {
      // Two endpoints on one server: /fast answers at once, /slow after 4 ms.
      server = createServer((req, res) => {
        req.resume();
        const answer = () => res.end('{"done":true}');
        if (req.url === '/slow') setTimeout(answer, 4);
        else setImmediate(answer);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    const target = (path: string): LoadTarget => ({ name: path, origin, path, headers: {} });

    it('counts both sides over the window until the first finishes, and stops the other there', async () => {
      const fastPool = createPool(origin, 4);
      const slowPool = createPool(origin, 4);
      try {
        const spec = (requests: number, stop: AbortSignal) => ({
          requests,
          concurrency: 4,
          body: '{}',
          mustContain: 'done',
          deadlineMs: 20_000,
          stop,
        });
        const result = await runSideBySide(
          (requests, stop) => runLoad(fastPool, target('/fast'), spec(requests, stop)),
          (requests, stop) => runLoad(slowPool, target('/slow'), spec(requests, stop)),
          400,
          true,
        );
        expect(result.errors).to.equal(0);
        expect(result.onCompleted).to.equal(400);
        // The slow side stopped issuing when the fast one was done: far fewer than asked.
        expect(result.offCompleted).to.be.below(400);
        expect(result.onPerSecond).to.be.greaterThan(result.offPerSecond);
        // Its rate is what it completed within the window, not over its own longer run.
        expect(result.offPerSecond).to.be.at.most((1000 * result.offCompleted) / result.windowMs + 1e-9);
        expect(sideBySideCosts([result]).perRound[0]).to.be.below(0); // "on" was the faster side here
      } finally {
        await Promise.all([fastPool.close(), slowPool.close()]);
      }
    });
  });
});
