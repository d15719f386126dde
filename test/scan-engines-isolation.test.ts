// The external scanners decide nothing on their own: immutag's fail-on and ignore file
// are the policy. A scanner reads filters from its working directory (.trivyignore,
// trivy.yaml, .grype.yaml) and its environment (TRIVY_SEVERITY, left in GITHUB_ENV by an
// earlier trivy-action; GRYPE_ONLY_FIXED): a finding dropped there never reaches the
// policy, and the run passes. Its output must also be a report of the shape we read,
// not any JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGrypeReport, scanWithGrype } from '../src/scan/engines/grype.ts';
import { readTrivyReport, scanWithTrivy, trivyArgs } from '../src/scan/engines/trivy.ts';
import { applyIgnoreList, parseIgnoreFile } from '../src/scan/ignore-file.ts';
import { applyPolicy } from '../src/scan/policy.ts';
import type { ImmutagError } from '../src/errors.ts';
import { enginePlatform, fakeScanner } from './support/fake-scanner.ts';

const DIGEST = 'sha256:' + 'f'.repeat(64);
const REF = `127.0.0.1:5000/acme/api@${DIGEST}`;

test('trivy and grype run in an empty directory of their own, without the environment variables that filter findings', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-isolation-'));
  const report = join(dir, 'report.json');
  await writeFile(report, JSON.stringify({ SchemaVersion: 2, Results: [], matches: [] }));
  const filters = { TRIVY_SEVERITY: 'CRITICAL', TRIVY_IGNORE_UNFIXED: 'true', TRIVY_IGNOREFILE: '/x/.trivyignore', TRIVY_CONFIG: '/x/trivy.yaml', TRIVY_VEX: '/x/vex.json', TRIVY_SKIP_DIRS: '/app', GRYPE_ONLY_FIXED: 'true', GRYPE_CONFIG: '/x/.grype.yaml' };
  const kept = { TRIVY_CACHE_DIR: '/cache/trivy', TRIVY_DB_REPOSITORY: 'mirror.example/trivy-db', TRIVY_USERNAME: 'u', TRIVY_SERVER: 'http://trivy:4954',
    TRIVY_DISABLE_TELEMETRY: 'true', TRIVY_REDIS_TLS: 'true', GRYPE_DB_CACHE_DIR: '/cache/grype' };
  for (const [name, scan] of [['trivy', scanWithTrivy], ['grype', scanWithGrype]] as const) {
    const fake = await fakeScanner(name, { report });
    try {
      await scan({ target: { kind: 'registry', reference: REF }, platforms: [enginePlatform('linux/amd64', DIGEST)], env: { ...fake.env, ...filters, ...kept } });
      const [seen] = await fake.surroundings();
      assert.notEqual(seen!.cwd, process.cwd(), `${name} runs outside the workspace`);
      assert.equal(seen!.entries, 0, `${name}'s directory holds no config or ignore file`);
      assert.deepEqual(seen!.vars, Object.entries(kept).map(([k, v]) => `${k}=${v}`).sort(), `${name} gets where its database and the image come from, nothing that filters`);
    } finally {
      await fake.cleanup();
    }
  }
  await rm(dir, { recursive: true, force: true });
});

// grype reads its configuration from ./.grype.yaml, ~/.grype.yaml and the XDG config
// directories (/etc/xdg/grype/config.yaml among them) unless -c names a file: then that
// file alone (anchore/fangs, findConfigurationFiles). A rule there that ignores by package
// (`- package: {name: openssl}`) drops the match from the report, ignoredMatches aside.
test('grype runs on an empty configuration of ours (-c), so no home or XDG configuration of grype filters findings', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-isolation-'));
  const report = join(dir, 'report.json');
  await writeFile(report, JSON.stringify({ matches: [] }));
  const fake = await fakeScanner('grype', { report });
  try {
    await scanWithGrype({ target: { kind: 'registry', reference: REF }, platforms: [enginePlatform('linux/amd64', DIGEST)], env: fake.env });
    const [args] = await fake.runs();
    const config = args![args!.indexOf('-c') + 1];
    assert.ok(args!.includes('-c') && config !== undefined, `grype is given -c: ${args!.join(' ')}`);
    assert.match(config, /\.yaml$/, 'a YAML file (grype reads the format from the name)');
    const [seen] = await fake.surroundings();
    assert.deepEqual(seen!.config, [], 'the file existed while grype ran and sets nothing');
    assert.equal(seen!.entries, 0, 'outside grype\'s working directory');
    await assert.rejects(readFile(config), 'removed after the run');
  } finally {
    await fake.cleanup();
    await rm(dir, { recursive: true, force: true });
  }
});

test('output that is not a report of the known shape is SCANNER_FAILED, not a clean scan', () => {
  const critical = { Target: 'x (alpine 3.10)', Class: 'os-pkgs', Type: 'alpine', Vulnerabilities: [{ VulnerabilityID: 'CVE-2019-14697', PkgName: 'musl', InstalledVersion: '1.1.22-r2', Severity: 'CRITICAL' }] };
  for (const json of [[critical], null, { SchemaVersion: 3, Findings: [] }, { Results: [critical] }, 'text']) {
    assert.throws(() => readTrivyReport(json), (e: ImmutagError) => e.code === 'SCANNER_FAILED', JSON.stringify(json));
  }
  assert.deepEqual(readTrivyReport({ SchemaVersion: 2 }).findings, [], 'schema 2 without Results: nothing found');
  for (const json of [{}, null, { matches: 'none' }, []]) {
    assert.throws(() => readGrypeReport(json), (e: ImmutagError) => e.code === 'SCANNER_FAILED', JSON.stringify(json));
  }
});

const alas = {
  vulnerability: { id: 'ALAS2-2023-2050', severity: 'High', fix: { state: 'fixed', versions: ['1.0.2k-24.amzn2.0.7'] } },
  relatedVulnerabilities: [{ id: 'CVE-2023-0215' }, { id: 'CVE-2023-0286' }, { id: 'CVE-2022-4304' }],
  artifact: { name: 'openssl-libs', version: '1:1.0.2k-24.amzn2.0.6', type: 'rpm' },
};

test('grype: accepting one CVE of an advisory that fixes several does not accept the advisory', () => {
  const scan = readGrypeReport({ matches: [alas], distro: { name: 'amzn', version: '2' } });
  const platform = (findings: typeof scan.findings) => [{ platform: 'linux/amd64', manifestDigest: DIGEST, packages: scan.packages, findings, notes: [] }];
  const policy = { failOn: 'high' as const, ignoreUnfixed: false };
  assert.equal(applyPolicy(platform(scan.findings), policy).verdict, 'violation');
  const one = applyIgnoreList(scan.findings, parseIgnoreFile('CVE-2022-4304 # timing oracle\n', 'f'));
  assert.equal(applyPolicy(platform(one.findings), policy).verdict, 'violation', 'CVE-2023-0286 (high) is not accepted');
  const advisory = applyIgnoreList(scan.findings, parseIgnoreFile('ALAS2-2023-2050\n', 'f'));
  assert.equal(applyPolicy(platform(advisory.findings), policy).verdict, 'pass');
});

test('grype: matches a user\'s config ignored (a rule naming the vulnerability, only-fixed) are findings; grype\'s built-in kernel-header rule stays', () => {
  const kernel = { vulnerability: { id: 'CVE-2024-26925', severity: 'High' }, artifact: { name: 'linux-libc-dev', version: '6.1.0', type: 'deb', upstreams: [{ name: 'linux' }] },
    appliedIgnoreRules: [{ package: { name: 'linux-libc-dev', 'upstream-name': 'linux' } }] };
  const scan = readGrypeReport({ matches: [], ignoredMatches: [
    { ...alas, appliedIgnoreRules: [{ vulnerability: 'ALAS2-2023-2050' }] },
    { ...alas, vulnerability: { ...alas.vulnerability, id: 'ALAS2-2024-1' }, appliedIgnoreRules: [{ 'fix-state': 'not-fixed' }] },
    kernel,
  ] });
  assert.deepEqual(scan.findings.map((f) => f.id), ['ALAS2-2023-2050', 'ALAS2-2024-1']);
});

test('trivy by digest reads the registry, never a Docker daemon\'s image of another platform', () => {
  const args = trivyArgs({ kind: 'registry', reference: REF }, 'linux/arm64');
  assert.deepEqual(args.slice(args.indexOf('--image-src'), args.indexOf('--image-src') + 2), ['--image-src', 'remote']);
  assert.ok(!trivyArgs({ kind: 'layout', dir: '/l' }, undefined).includes('--image-src'));
});

test('.trivyignore: an exp: date inside the comment expires the entry, as Trivy reads it', () => {
  const [entry] = parseIgnoreFile('CVE-2023-1234 # waiting for upstream exp:2025-01-01\n', '.trivyignore').entries;
  assert.equal(entry?.expiry, '2025-01-01');
  assert.equal(entry?.expiresAt?.toISOString(), '2025-01-01T00:00:00.000Z');
});

test('grype: a match of Unknown severity takes the worst of its related records (as the osv engine falls back to aliases), with its score', () => {
  const scan = readGrypeReport({ matches: [{
    vulnerability: { id: 'GHSA-aaaa-bbbb-cccc', severity: 'Unknown' },
    relatedVulnerabilities: [{ id: 'CVE-2024-0001', severity: 'Medium' }, { id: 'CVE-2024-0002', severity: 'Critical', cvss: [{ version: '3.1', metrics: { baseScore: 9.8 } }] }],
    artifact: { name: 'left-pad', version: '1.0.0', type: 'npm' },
  }] });
  const [finding] = scan.findings;
  assert.equal(finding?.severity, 'critical');
  assert.equal(finding?.score, 9.8);
  assert.match(finding?.severitySource ?? '', /CVE-2024-0002/);
});
