// RunReports for the report tests: a multi-platform image pushed to two repositories,
// scanned with real Debian advisories, and builders for the edge cases (thousands of
// findings, hostile strings).
import type { Finding, PlatformScan, Severity } from '../../src/scan/model.ts';
import { SEVERITY_ORDER } from '../../src/scan/model.ts';
import type { RunReport } from '../../src/report/run-report.ts';

export const INDEX_DIGEST = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
export const AMD64_DIGEST = 'sha256:3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7';
export const ARM64_DIGEST = 'sha256:2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6';
export const OTHER_DIGEST = 'sha256:18ac3e7343f016890c510e93f935261169d9e3f565436429830faf0934f4f8e4';
const LAYER_BASE = 'sha256:1f3e3a0d8c9b4a7e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3a29180f7e';
const LAYER_APP = 'sha256:7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730';

export const SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
export const HEAD_SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

interface FindingSpec {
  id: string;
  pkg: string;
  source?: string;
  installed: string;
  fixed?: string;
  severity: Severity;
  score?: number;
  summary: string;
  layer?: string;
  failing: boolean;
  ignored?: string;
}

// Real advisories for packages of Debian 12 (bookworm), with the versions Debian lists.
const DEBIAN_FINDINGS: FindingSpec[] = [
  { id: 'CVE-2023-4911', pkg: 'libc6', source: 'glibc', installed: '2.36-9+deb12u1', fixed: '2.36-9+deb12u3', severity: 'high', score: 7.8, summary: 'Buffer overflow in ld.so GLIBC_TUNABLES handling (Looking Glass)', failing: true },
  { id: 'CVE-2024-6387', pkg: 'openssh-client', source: 'openssh', installed: '1:9.2p1-2+deb12u2', fixed: '1:9.2p1-2+deb12u3', severity: 'high', score: 8.1, summary: 'Signal handler race condition in sshd (regreSSHion)', layer: LAYER_APP, failing: true },
  { id: 'CVE-2023-5363', pkg: 'libssl3', source: 'openssl', installed: '3.0.11-1~deb12u1', fixed: '3.0.11-1~deb12u2', severity: 'high', score: 7.5, summary: 'Incorrect cipher key and IV length processing', failing: true },
  { id: 'CVE-2023-4039', pkg: 'libgcc-s1', source: 'gcc-12', installed: '12.2.0-14', severity: 'medium', score: 4.8, summary: '-fstack-protector fails to guard dynamic stack allocations on ARM64', failing: false },
  { id: 'CVE-2011-3374', pkg: 'apt', installed: '2.6.1', severity: 'low', score: 3.7, summary: 'apt-key does not correctly validate gpg keys with the master keyring', failing: false },
  { id: 'CVE-2022-0563', pkg: 'util-linux', installed: '2.38.1-5+b1', severity: 'low', summary: 'Partial disclosure of arbitrary files in chfn and chsh when compiled with libreadline', failing: false, ignored: 'chfn/chsh are not installed setuid in this image' },
  { id: 'TEMP-0841856-B18BAF', pkg: 'bash', installed: '5.2.15-2+b2', severity: 'unknown', summary: '', failing: false },
];

export function finding(spec: FindingSpec): Finding {
  const f: Finding = {
    id: spec.id,
    aliases: [],
    summary: spec.summary,
    severity: spec.severity,
    package: {
      type: 'deb',
      name: spec.pkg,
      version: spec.installed,
      ecosystem: 'Debian:12',
      path: 'var/lib/dpkg/status',
      layer: spec.layer ?? LAYER_BASE,
    },
    installed: spec.installed,
    failsPolicy: spec.failing,
  };
  if (spec.source !== undefined) f.package.sourceName = spec.source;
  if (spec.fixed !== undefined) f.fixed = spec.fixed;
  if (spec.score !== undefined) f.score = spec.score;
  if (spec.ignored !== undefined) f.ignored = { reason: spec.ignored };
  return f;
}

function platformScan(platform: string, digest: string, findings: Finding[], notes: string[] = []): PlatformScan {
  return {
    platform,
    manifestDigest: digest,
    os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
    // The packages the findings are in: a real scan lists every package it checked.
    packages: [...new Map(findings.map((f) => [`${f.package.name}@${f.package.version}`, f.package])).values()],
    findings,
    notes,
  };
}

function baseReport(): RunReport {
  return {
    result: 'pass',
    mode: 'push',
    image: {
      digest: INDEX_DIGEST,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platforms: [
        { platform: 'linux/amd64', digest: AMD64_DIGEST },
        { platform: 'linux/arm64', digest: ARM64_DIGEST },
      ],
      inRegistry: true,
    },
    tags: [
      { reference: 'ghcr.io/octo-org/api:1.4.0', repository: 'ghcr.io/octo-org/api', tag: '1.4.0', state: 'created', mutable: false },
      { reference: 'ghcr.io/octo-org/api:latest', repository: 'ghcr.io/octo-org/api', tag: 'latest', state: 'moved', mutable: true, existingDigest: OTHER_DIGEST },
      { reference: 'docker.io/octoorg/api:1.4.0', repository: 'docker.io/octoorg/api', tag: '1.4.0', state: 'unchanged', mutable: false, existingDigest: INDEX_DIGEST },
    ],
    problems: [],
    run: {
      repository: 'octo-org/octo-repo',
      serverUrl: 'https://github.com',
      sha: SHA,
      headSha: HEAD_SHA,
      runUrl: 'https://github.com/octo-org/octo-repo/actions/runs/4242424242/attempts/2',
      runNumber: 87,
      runAttempt: 2,
      workflow: 'Release image',
      event: 'pull_request',
    },
  };
}

/** A pass: pushed, scanned, nothing fails (fail-on: critical). */
export function passingReport(): RunReport {
  const report = baseReport();
  const findings = DEBIAN_FINDINGS.map((s) => finding({ ...s, failing: false }));
  const platforms = [
    platformScan('linux/amd64', AMD64_DIGEST, findings),
    platformScan('linux/arm64', ARM64_DIGEST, findings.slice(0, 4)),
  ];
  report.scan = {
    result: { engine: 'osv', digest: INDEX_DIGEST, platforms },
    failOn: 'critical',
    ignoreUnfixed: false,
    files: { sarif: 'immutag.sarif', report: 'immutag-report.json' },
  };
  return report;
}

/** A violation: one immutable tag already points elsewhere, and three findings fail fail-on: high. */
export function violationReport(): RunReport {
  const report = baseReport();
  report.result = 'violation';
  report.image!.inRegistry = false;
  report.tags = [
    { reference: 'ghcr.io/octo-org/api:1.4.0', repository: 'ghcr.io/octo-org/api', tag: '1.4.0', state: 'refused', mutable: false, existingDigest: OTHER_DIGEST },
    { reference: 'ghcr.io/octo-org/api:latest', repository: 'ghcr.io/octo-org/api', tag: 'latest', state: 'skipped', mutable: true, reason: 'not written: the run stopped before pushing' },
    { reference: 'docker.io/octoorg/api:1.4.0', repository: 'docker.io/octoorg/api', tag: '1.4.0', state: 'skipped', mutable: false },
  ];
  const findings = DEBIAN_FINDINGS.map(finding);
  const platforms = [
    platformScan('linux/amd64', AMD64_DIGEST, findings, ['usr/lib/sysimage/rpm/Packages: Berkeley DB rpm databases are not read']),
    platformScan('linux/arm64', ARM64_DIGEST, findings.slice(0, 4)),
  ];
  report.scan = {
    result: { engine: 'osv', digest: INDEX_DIGEST, platforms },
    failOn: 'high',
    ignoreUnfixed: false,
    files: { sarif: 'immutag.sarif' },
  };
  return report;
}

/** A report with `n` failing and `n` passing findings, spread over one platform. */
export function manyFindingsReport(n: number): RunReport {
  const report = violationReport();
  const findings: Finding[] = [];
  for (let i = 0; i < n * 2; i++) {
    const severity = SEVERITY_ORDER[i % 4]!;
    findings.push(finding({
      id: `CVE-2024-${String(10000 + i)}`,
      pkg: `lib-package-number-${i}`,
      installed: `1.${i}.0-1`,
      fixed: `1.${i}.1-1`,
      severity,
      summary: `A long summary of the vulnerability number ${i} that repeats to take space `.repeat(3),
      failing: i < n,
    }));
  }
  const platforms = [platformScan('linux/amd64', AMD64_DIGEST, findings)];
  report.scan!.result.platforms = platforms;
  return report;
}

/** A pass of a single-platform image (no index): pushed, scanned, nothing found. */
export function singlePlatformReport(): RunReport {
  const report = baseReport();
  report.image = { digest: AMD64_DIGEST, mediaType: 'application/vnd.oci.image.manifest.v1+json', platforms: [], inRegistry: true };
  report.tags = [
    { reference: 'ghcr.io/octo-org/api:sha-6113728', repository: 'ghcr.io/octo-org/api', tag: 'sha-6113728', state: 'created', mutable: false },
    { reference: 'ghcr.io/octo-org/api:pr-42', repository: 'ghcr.io/octo-org/api', tag: 'pr-42', state: 'moved', mutable: true, existingDigest: OTHER_DIGEST },
  ];
  report.scan = {
    result: { engine: 'osv', digest: AMD64_DIGEST, platforms: [platformScan('linux/amd64', AMD64_DIGEST, [])] },
    failOn: 'high',
    ignoreUnfixed: false,
  };
  return report;
}

/** The gate alone refused an immutable tag (check mode: no image, no scan). */
export function refusedReport(): RunReport {
  const report = baseReport();
  report.result = 'violation';
  report.mode = 'check';
  delete report.image;
  report.tags = [
    { reference: 'ghcr.io/octo-org/api:1.4.0', repository: 'ghcr.io/octo-org/api', tag: '1.4.0', state: 'refused', mutable: false, existingDigest: OTHER_DIGEST },
    { reference: 'ghcr.io/octo-org/api:latest', repository: 'ghcr.io/octo-org/api', tag: 'latest', state: 'would-move', mutable: true, existingDigest: OTHER_DIGEST },
  ];
  return report;
}

/** Verify mode: the tag resolves to another digest than the one the build pushed. */
export function verifyMismatchReport(): RunReport {
  const report = refusedReport();
  report.mode = 'verify';
  report.image = { digest: INDEX_DIGEST, platforms: [], inRegistry: true };
  report.tags = [
    { reference: 'ghcr.io/octo-org/api:1.4.0', repository: 'ghcr.io/octo-org/api', tag: '1.4.0', state: 'refused', mutable: false, existingDigest: OTHER_DIGEST },
  ];
  return report;
}

/** An error: the image was read, the scan could not reach the vulnerability database. */
export function errorReport(): RunReport {
  const report = violationReport();
  report.result = 'error';
  for (const t of report.tags) {
    t.state = 'skipped';
    delete t.existingDigest;
    delete t.reason;
  }
  delete report.scan;
  report.problems = [{
    level: 'error',
    code: 'SCANNER_FAILED',
    message: 'The OSV API at https://api.osv.dev did not answer: 503 Service Unavailable after 4 attempts',
    hint: 'Run again later, or scan offline with vuln-db (an OSV export) so the scan needs no network.',
  }];
  return report;
}
