// `timeout` is the whole run's limit, and a signal to the CLI stops the run: both abort
// the run's signal. The OSV client ran on its own timers (60 s a request, five tries
// with waits of up to 30 s that a Retry-After can stretch), so a stuck or rate-limiting
// OSV API held the run for minutes past its limit before SCANNER_FAILED. A match now
// ends with the run's own error as soon as the run's signal aborts: while a request is
// held open, and while a retry waits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ImmutagError } from '../src/errors.ts';
import type { Package } from '../src/scan/model.ts';
import { matchPackages } from '../src/scan/osv/match.ts';
import { OsvServer } from './support/osv-server.ts';

// Far longer than the run's 1 s: without the run's signal, the test's own limit ends it.
const LIMIT = { timeout: 30_000 };

const INVENTORY: Package[] = [
  { type: 'npm', name: 'ansi-html', version: '0.0.7', ecosystem: 'npm', path: 'app/node_modules/ansi-html/package.json', layer: `sha256:${'0'.repeat(64)}` },
];

function runTimeout(): ImmutagError {
  return new ImmutagError('RUN_TIMEOUT', "The run's time limit of 1 s ran out before it finished");
}

async function matchUntilRunEnds(server: OsvServer): Promise<unknown> {
  await server.start();
  const run = new AbortController();
  const timer = setTimeout(() => run.abort(runTimeout()), 1000);
  try {
    await matchPackages(INVENTORY, { osvUrl: server.url, signal: run.signal });
    return undefined;
  } catch (err) {
    return err;
  } finally {
    clearTimeout(timer);
    await server.stop();
  }
}

test('the run ends an OSV request the API holds open: RUN_TIMEOUT, not a wait for the request timeout', LIMIT, async () => {
  const server = new OsvServer([]);
  server.inject({ endpoint: 'querybatch', status: 'hold', times: 10 });
  const err = await matchUntilRunEnds(server);
  assert.ok(err instanceof ImmutagError, String(err));
  assert.equal(err.code, 'RUN_TIMEOUT', err.message);
  assert.equal(server.count('querybatch'), 1);
});

test('the run ends a retry wait a Retry-After asked for: RUN_TIMEOUT, not a retry 20 s later', LIMIT, async () => {
  const server = new OsvServer([]);
  server.inject({ endpoint: 'querybatch', status: 503, headers: { 'retry-after': '20' }, times: 10 });
  const err = await matchUntilRunEnds(server);
  assert.ok(err instanceof ImmutagError, String(err));
  assert.equal(err.code, 'RUN_TIMEOUT', err.message);
  assert.equal(server.count('querybatch'), 1);
});

test('a run stopped before the match starts sends nothing', LIMIT, async () => {
  const server = new OsvServer([]);
  await server.start();
  const run = new AbortController();
  run.abort(runTimeout());
  try {
    await assert.rejects(matchPackages(INVENTORY, { osvUrl: server.url, signal: run.signal }), (err: unknown) =>
      err instanceof ImmutagError && err.code === 'RUN_TIMEOUT');
    assert.equal(server.requests.length, 0);
  } finally {
    await server.stop();
  }
});
