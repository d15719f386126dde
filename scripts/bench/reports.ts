// The report files of a large scan: 10,000 findings (8,000 vulnerability ids across
// 5,000 packages, two platforms) rendered as SARIF, JSON and CycloneDX in-process.
// A real 5,359-finding run once spent 15 s building SARIF rules (a quadratic filter);
// the goal is well under a second for all three.
import { renderCycloneDx } from '../../src/report/files/cyclonedx.ts';
import { renderJsonReport } from '../../src/report/files/json.ts';
import { renderSarif } from '../../src/report/files/sarif.ts';
import type { ReportContext } from '../../src/report/files/context.ts';
import type { Finding, Package, PlatformScan } from '../../src/scan/model.ts';
import type { BenchRow } from './row.ts';

const FINDINGS = 10_000;
const IDS = 8_000;
const PACKAGES = 5_000;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'] as const;

function largeContext(): ReportContext {
  const packages: Package[] = Array.from({ length: PACKAGES }, (_, i) => ({
    type: 'deb', name: `pkg-${i}`, version: `1.${i}-1`, ecosystem: 'Debian:12', path: 'var/lib/dpkg/status', layer: 'sha256:' + 'e'.repeat(64),
  }));
  const findings: Finding[] = Array.from({ length: FINDINGS / 2 }, (_, i) => ({
    id: `CVE-2026-${10_000 + (i % IDS)}`, aliases: [], summary: `summary ${i}`, severity: SEVERITIES[i % SEVERITIES.length]!,
    package: packages[i % PACKAGES]!, installed: packages[i % PACKAGES]!.version, failsPolicy: i % 3 === 0,
  }));
  const platform = (name: string, digit: string): PlatformScan => ({
    platform: name, manifestDigest: 'sha256:' + digit.repeat(64), packages, findings, notes: [],
    os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  });
  return {
    result: { engine: 'osv', digest: 'sha256:' + 'd'.repeat(64), platforms: [platform('linux/amd64', '1'), platform('linux/arm64', '2')] },
    counts: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, failing: 0 },
    verdict: 'violation',
    policy: { failOn: 'high', ignoreUnfixed: false },
    imageRef: '127.0.0.1:5000/acme/api:1.4.2',
  };
}

export async function benchReports(): Promise<BenchRow[]> {
  const ctx = largeContext();
  const section = `report files for ${FINDINGS.toLocaleString('en')} findings`;
  const rows: BenchRow[] = [];
  for (const [tool, render] of [['SARIF 2.1.0', renderSarif], ['JSON', renderJsonReport], ['CycloneDX 1.6', renderCycloneDx]] as const) {
    const started = performance.now();
    const text = render(ctx);
    rows.push({ section, tool, seconds: (performance.now() - started) / 1000, note: `${(text.length / 1e6).toFixed(1)} MB` });
  }
  return rows;
}
