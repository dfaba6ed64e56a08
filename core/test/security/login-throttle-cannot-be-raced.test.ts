/**
 * Issue 14, item 3: the login throttle's check and count are one atomic step, so a burst
 * of parallel guesses cannot all be checked against a limit none of them has reached yet.
 */
import { expect } from 'chai';
import type { SentResponse } from '@switchyard/core/testing';
import { ADMIN, startAdminHarness, type AdminHarness } from '../admin-api/admin-harness.js';

const PARALLEL_GUESSES = 50;
const PER_USER = 5;
const PER_IP = 20;

function wrongPasswordAnswers(answers: readonly SentResponse[]): number {
  return answers.filter((res) => res.status === 401).length;
}

for (const store of ['embedded', 'redis'] as const) {
  describe(`login throttle under parallel guesses (${store} store)`, () => {
    let h: AdminHarness;
    beforeEach(async () => {
      h = await startAdminHarness({ admin: { loginMaxFailuresPerUser: PER_USER, loginMaxFailuresPerIp: PER_IP } }, [], store);
    });
    afterEach(async () => h?.close());

    const guess = (username: string, password: string) => h.call('POST', 'api/login', { body: { username, password } });

    it(`checks at most ${PER_USER} of ${PARALLEL_GUESSES} parallel wrong passwords for one admin; the rest get 429 with Retry-After`, async () => {
      const answers = await Promise.all(
        Array.from({ length: PARALLEL_GUESSES }, (_, i) => guess(ADMIN.username, `wrong-guess-${i}`)),
      );
      const checked = wrongPasswordAnswers(answers);
      expect(checked, 'password checks that ran').to.be.at.most(PER_USER).and.at.least(1);
      const refused = answers.filter((res) => res.status === 429);
      expect(refused.length).to.equal(PARALLEL_GUESSES - checked);
      for (const res of refused) {
        expect(Number(res.headers['retry-after'])).to.be.greaterThan(0);
        expect(res.json<{ error: { type: string } }>().error.type).to.equal('too_many_requests');
      }
      const failuresLogged = h.tg.logs.filter((line) => line['message'] === 'sign-in failed').length;
      expect(failuresLogged).to.equal(checked);

      const right = await guess(ADMIN.username, ADMIN.password);
      expect(right.status, 'the right password while throttled').to.equal(429);
    });

    it(`checks at most ${PER_IP} of ${PARALLEL_GUESSES} parallel guesses from one address across many usernames`, async () => {
      const answers = await Promise.all(
        Array.from({ length: PARALLEL_GUESSES }, (_, i) => guess(`someone-${i}`, 'wrong-password')),
      );
      expect(wrongPasswordAnswers(answers)).to.be.at.most(PER_IP).and.at.least(1);
      expect(answers.every((res) => res.status === 401 || res.status === 429)).to.equal(true);
      expect((await guess(ADMIN.username, ADMIN.password)).status, 'the right password from the throttled address').to.equal(429);
    });

    it('still lets the right password in when no limit is reached, and forgives that admin its failures', async () => {
      const answers = await Promise.all(Array.from({ length: PER_USER - 1 }, (_, i) => guess(ADMIN.username, `wrong-${i}`)));
      expect(answers.map((res) => res.status)).to.deep.equal(Array.from({ length: PER_USER - 1 }, () => 401));
      expect((await guess(ADMIN.username, ADMIN.password)).status).to.equal(200);
      const again = await Promise.all(Array.from({ length: PER_USER - 1 }, (_, i) => guess(ADMIN.username, `wrong-again-${i}`)));
      expect(again.map((res) => res.status)).to.deep.equal(Array.from({ length: PER_USER - 1 }, () => 401));
      expect((await guess(ADMIN.username, ADMIN.password)).status).to.equal(200);
    });
  });
}
