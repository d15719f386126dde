// Found by a review: `timeout` is "the whole run's time limit"; past it "the job fails with
// RUN_TIMEOUT". But the run's deadline only aborts registry requests: an external scanner
// (trivy, grype) runs on its own 30-minute timer, and a verify whose --timeout passed while
// trivy was still running waited for trivy and then exited 0 (pass). The run now checks
// its deadline when the scan returns, and a scanner still running at the time limit is
// killed then (it was left to run to its own 30-minute limit, holding the job).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useRegistry } from './support/registry.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { fakeScanner, type FakeScanner } from './support/fake-scanner.ts';
import { runCli } from './support/action-runner.ts';

const reg = await useRegistry();
let image: BuiltImage;
let digest: string;
let fake: FakeScanner;
let stuck: FakeScanner;

before(async () => {
  image = await buildImage({ files: { '/hello.txt': 'hello' } });
  digest = await pushImage(reg, image.ociRef, 'rev/timeout:1.0');
  const report = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures/scan/trivy/debian-buster.json');
  fake = await fakeScanner('trivy', { report });
  // The scanner takes 8 s; the run's time limit is 2 s.
  const bin = join(fake.dir, 'bin', 'trivy');
  const script = await readFile(bin, 'utf8');
  await writeFile(bin, script.replace('#!/bin/sh\n', '#!/bin/sh\nsleep 8\n'));
  // One that never finishes on its own within the test: it leaves its process id and sleeps.
  stuck = await fakeScanner('trivy', { report });
  const stuckBin = join(stuck.dir, 'bin', 'trivy');
  await writeFile(stuckBin, `#!/bin/sh\necho $$ > '${join(stuck.dir, 'pid')}'\nexec sleep 300\n`);
});

after(async () => {
  await fake?.cleanup();
  await stuck?.cleanup();
  if (image) await removeLayout(image);
});

test('a --timeout that passes while the scanner runs does not end in a pass', async () => {
  const r = await runCli(['verify', '--digest', digest, `${reg.host}/rev/timeout:1.0`, '--insecure-registry', reg.host,
    '--scan', 'trivy', '--fail-on', 'none', '--timeout', '2s', '--json'], fake.env);
  const doc = JSON.parse(r.stdout) as { result: string; error?: { code: string } };
  console.log(r.stderr.split('\n').filter((l) => l.includes('RUN_TIMEOUT')).join('\n'));
  // The scanner took 8 s against a 2 s limit: not a pass.
  assert.equal(r.code, 2, r.stderr);
  assert.equal(doc.result, 'error');
  assert.equal(doc.error?.code, 'RUN_TIMEOUT');
});

/** Whether `pid` is a live process (a zombie waiting to be reaped is not). */
function alive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  // The state follows the command name in parentheses: `1234 (sleep) S …`.
  const state = readFileSync(stat, 'utf8').replace(/^.*\) /s, '')[0];
  return state !== 'Z' && state !== 'X';
}

// Without the kill, the run waits for the scanner's 300 s: the test's limit ends it first.
test('a scanner still running at the time limit is killed, and the run ends with RUN_TIMEOUT', { timeout: 90_000 }, async () => {
  const r = await runCli(['verify', '--digest', digest, `${reg.host}/rev/timeout:1.0`, '--insecure-registry', reg.host,
    '--scan', 'trivy', '--fail-on', 'none', '--timeout', '3s', '--json'], stuck.env);
  const doc = JSON.parse(r.stdout) as { result: string; error?: { code: string; message: string } };
  console.log(r.stderr.split('\n').filter((l) => l.includes('RUN_TIMEOUT')).join('\n'));
  assert.equal(r.code, 2, r.stderr);
  assert.equal(doc.error?.code, 'RUN_TIMEOUT', r.stderr);
  const pid = Number(readFileSync(join(stuck.dir, 'pid'), 'utf8'));
  assert.ok(pid > 0);
  assert.equal(alive(pid), false, `the scanner (pid ${pid}) outlived the run`);
});
