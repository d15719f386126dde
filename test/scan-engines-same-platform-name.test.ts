// Verify mode (engine target `repo@index`): an index may list two runnable manifests under one
// platform name (Windows images per os.version, `os.features`, or a re-pushed duplicate).
// scanTargets returns both, but each engine run was `repo@<index> --platform <name>`, so both
// runs resolved to the same (first) child: the second manifest was never scanned, and its
// PlatformScan carried the first one's findings under the second one's digest (found by a
// review). Each run now names its platform's own manifest by digest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { scanWithTrivy } from '../src/scan/engines/trivy.ts';
import { scanWithGrype } from '../src/scan/engines/grype.ts';
import { enginePlatform, fakeScanner } from './support/fake-scanner.ts';

const INDEX = 'sha256:' + 'f'.repeat(64);
const REF = `127.0.0.1:5000/acme/api@${INDEX}`;
const A = 'sha256:' + '1'.repeat(64);
const B = 'sha256:' + '2'.repeat(64);
const fixture = (path: string) => fileURLToPath(new URL(`./fixtures/scan/${path}`, import.meta.url));

for (const [name, scan, report] of [
  ['trivy', scanWithTrivy, 'trivy/debian-buster.json'],
  ['grype', scanWithGrype, 'grype/image-simple.json'],
] as const) {
  test(`${name} by digest: two manifests of one platform name are two different scans`, async (t) => {
    const fake = await fakeScanner(name, { report: fixture(report) });
    try {
      const platforms = [enginePlatform('windows/amd64', A), enginePlatform('windows/amd64', B)];
      await scan({ target: { kind: 'registry', reference: REF }, platforms, env: fake.env }).catch((e) => t.diagnostic(String(e)));
      const runs = await fake.runs();
      assert.equal(runs.length, 2);
      // What a run scans is the image argument and --platform; grype's -c path differs per run.
      const scanned = runs.map((args) => args.filter((a, i) => a !== '-c' && args[i - 1] !== '-c').join(' '));
      assert.notEqual(scanned[0], scanned[1], `both runs scanned the same thing, so manifest ${B} was never scanned: ${scanned[1]}`);
    } finally {
      await fake.cleanup();
    }
  });
}
