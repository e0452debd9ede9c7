/**
 * Where the tests' time starts: one setting for the whole suite.
 *
 *   VORONKA_TEST_EPOCH=2027-12-31T20:59:00.000Z npm test     # 31 December, 23:59 in Moscow
 *
 * Unset, it is the real time when the test process started, so nothing in the suite is pinned to a
 * date that ages. Every test server's clock starts here, the browser's clock is installed here, and
 * tests write times relative to their server's clock (`server.clock.now()`), never to Date.now().
 * CI runs the browser suite once more at a non-default epoch (.ci/run).
 */
const raw = process.env.VORONKA_TEST_EPOCH?.trim();
const parsed = raw ? Date.parse(raw) : Date.now();
if (!Number.isFinite(parsed)) throw new Error(`VORONKA_TEST_EPOCH is not an ISO instant: ${raw}`);
const epoch = parsed;

export function testEpoch(): Date {
  return new Date(epoch);
}
