import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openImage, type LocalImage } from '../src/image/open-image.ts';
import { scanImage, writeReports, type ScanImageOptions } from '../src/scan/scan.ts';
import type { PolicyOptions } from '../src/scan/policy.ts';
import { MemoryLogger } from '../src/log.ts';
import type { ImmutagError } from '../src/errors.ts';
import { buildIndex, removeLayout, type BuiltImage } from './support/images.ts';
import { addAttestation } from './support/image-factory.ts';
import { fakeScanner } from './support/fake-scanner.ts';
import { loadSchemas, validate } from './support/json-schema.ts';

const VULN_DB = fileURLToPath(new URL('./fixtures/scan/osv/', import.meta.url));
const SCHEMAS = loadSchemas([fileURLToPath(new URL('./fixtures/scan/schemas/sarif-schema-2.1.0.json', import.meta.url))]);

// A Debian 12 image whose apparmor is older than both DEBIAN-CVE-2016-1585 (unimportant,
// no fix) and DEBIAN-CVE-2017-6507 (CVSS 5.9, fixed in 2.11.0-3), on two platforms plus a
// buildx-style attestation manifest.
const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian\n';
const STATUS = [
  'Package: apparmor', 'Status: install ok installed', 'Priority: optional', 'Section: admin', 'Installed-Size: 2000',
  'Maintainer: Debian AppArmor Team <pkg-apparmor-team@lists.alioth.debian.org>', 'Architecture: amd64', 'Version: 2.10.95-1',
  'Description: user-space parser utility for AppArmor', '',
].join('\n') + '\n';

let image: BuiltImage;
let local: LocalImage;
let work: string;

before(async () => {
  image = await buildIndex({ files: { '/etc/os-release': OS_RELEASE, '/var/lib/dpkg/status': STATUS } });
  await addAttestation(image.layout, image.tag);
  local = await openImage(image.layout, { names: [image.tag] });
  work = await mkdtemp(join(tmpdir(), 'immutag-scan-'));
  await writeFile(join(work, 'ignore'), 'CVE-2017-6507 # apparmor profiles are not reloaded in containers\n');
});

after(async () => {
  await local?.close();
  if (image) await removeLayout(image);
  if (work) await rm(work, { recursive: true, force: true });
});

function options(policy: PolicyOptions, extra: Partial<ScanImageOptions> = {}): ScanImageOptions {
  return { source: local.source, top: local.top, manifests: local.manifests, engine: 'osv', policy, vulnDb: VULN_DB, imageRef: '127.0.0.1:5000/acme/api:1.0', ...extra };
}

test('every platform is scanned and reported separately; the attestation manifest is not', async () => {
  const logger = new MemoryLogger();
  const out = await scanImage(options({ failOn: 'high', ignoreUnfixed: false }, { logger }));
  assert.equal(out.result.digest, local.top.digest);
  assert.deepEqual(out.result.platforms.map((p) => [p.platform, p.os?.id, p.packages.map((x) => `${x.name}@${x.version}`)]), [
    ['linux/amd64', 'debian', ['apparmor@2.10.95-1']], ['linux/arm64', 'debian', ['apparmor@2.10.95-1']],
  ]);
  for (const p of out.result.platforms) {
    assert.deepEqual(p.findings.map((f) => [f.id, f.severity, f.fixed ?? null]), [
      ['DEBIAN-CVE-2017-6507', 'medium', '2.11.0-3'], ['DEBIAN-CVE-2016-1585', 'low', null],
    ]);
  }
  assert.deepEqual(out.counts, { critical: 0, high: 0, medium: 1, low: 1, unknown: 0, failing: 0 }, 'counted once across platforms');
  assert.ok(logger.lines.some((l) => /platform linux\/amd64: 1 package, 2 findings/.test(l)));
});

test('fail-on, ignore-file and ignore-unfixed change the verdict as documented', async () => {
  const ignoreFile = join(work, 'ignore');
  const table: [PolicyOptions, string | undefined, string, number][] = [
    [{ failOn: 'high', ignoreUnfixed: false }, undefined, 'pass', 0],
    [{ failOn: 'medium', ignoreUnfixed: false }, undefined, 'violation', 1],
    [{ failOn: 'medium', ignoreUnfixed: false }, ignoreFile, 'pass', 0], // ignored through the upstream CVE ID
    [{ failOn: 'low', ignoreUnfixed: false }, ignoreFile, 'violation', 1], // the unfixed low still fails
    [{ failOn: 'low', ignoreUnfixed: true }, ignoreFile, 'pass', 0],
    [{ failOn: 'none', ignoreUnfixed: false }, undefined, 'pass', 0],
  ];
  for (const [policy, ignore, verdict, failing] of table) {
    const out = await scanImage(options(policy, ignore ? { ignoreFile: ignore } : {}));
    assert.deepEqual([out.verdict, out.counts.failing], [verdict, failing], `${JSON.stringify(policy)} ignore=${Boolean(ignore)}`);
  }
});

test('the reports of a real scan are written, and the SARIF validates against the 2.1.0 schema', async () => {
  const out = await scanImage(options({ failOn: 'medium', ignoreUnfixed: false }));
  const { written, failures } = await writeReports({ report: join(work, 'r/report.json'), sarif: join(work, 'r/scan.sarif'), sbom: join(work, 'r/sbom.cdx.json') }, out.report);
  assert.deepEqual(failures, []);
  const sarif = JSON.parse(await readFile(written.sarif!, 'utf8'));
  assert.deepEqual(validate(sarif, 'sarif-schema-2.1.0.json', SCHEMAS), []);
  assert.deepEqual(sarif.runs[0].results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level]), [
    ['DEBIAN-CVE-2017-6507', 'error'], ['DEBIAN-CVE-2016-1585', 'note'],
  ]);
  const report = JSON.parse(await readFile(written.report!, 'utf8'));
  assert.deepEqual([report.image.digest, report.verdict, report.platforms.length], [local.top.digest, 'violation', 2]);
  const sbom = JSON.parse(await readFile(written.sbom!, 'utf8'));
  assert.equal(sbom.metadata.component.version, local.top.digest);
});

test('an expired ignore entry no longer applies and is reported as a note', async () => {
  const expired = join(work, 'expired');
  await writeFile(expired, 'CVE-2017-6507 until: 2024-12-31\n');
  const out = await scanImage(options({ failOn: 'medium', ignoreUnfixed: false }, { ignoreFile: expired, now: new Date('2025-06-01T00:00:00Z') }));
  assert.equal(out.verdict, 'violation');
  assert.deepEqual(out.notes, [`${expired}:1: CVE-2017-6507 expired on 2024-12-31; it no longer applies`]);
});

test('engine trivy runs once per platform (no attestation), each on a layout of that platform alone, and feeds the same policy', async () => {
  const fake = await fakeScanner('trivy', { report: fileURLToPath(new URL('./fixtures/scan/trivy/debian-buster.json', import.meta.url)) });
  try {
    const out = await scanImage(options({ failOn: 'high', ignoreUnfixed: false }, {
      engine: 'trivy', engineTarget: { kind: 'layout', dir: image.layout }, engineEnv: fake.env,
    }));
    // trivy --input takes a layout's first manifest whatever --platform says: each run's
    // layout must name its own platform's manifest, or every run scans the first one.
    const runs = await fake.runs();
    assert.deepEqual(runs.map((args) => args.slice(-2, -1)), [['--input'], ['--input']]);
    assert.ok(runs.every((args) => !args.includes('--platform') && args.at(-1) !== image.layout), runs.join('\n'));
    const scanned = (await fake.layouts()).map((l) => l?.manifests.map((m) => m.digest));
    assert.deepEqual(scanned, out.result.platforms.map((p) => [p.manifestDigest]));
    assert.deepEqual(out.result.platforms.map((p) => p.platform), ['linux/amd64', 'linux/arm64']);
    assert.notEqual(scanned[0]![0], scanned[1]![0]);
    assert.deepEqual([out.result.engine, out.verdict, out.counts.critical, out.counts.failing], ['trivy', 'violation', 1, 1]);
  } finally {
    await fake.cleanup();
  }
});

test('engine none reports nothing and passes; trivy without a target is a bug, not a verdict', async () => {
  const none = await scanImage(options({ failOn: 'low', ignoreUnfixed: false }, { engine: 'none' }));
  assert.deepEqual([none.verdict, none.result.platforms], ['pass', []]);
  await assert.rejects(scanImage(options({ failOn: 'low', ignoreUnfixed: false }, { engine: 'trivy' })),
    (e: ImmutagError) => e.code === 'INVALID_INPUT');
});
