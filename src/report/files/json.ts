// The JSON report: everything the scan found and decided, for people and for other tools.
import type { Finding, PlatformScan } from '../../scan/model.ts';
import { imageName, type ReportContext } from './context.ts';

export const JSON_REPORT_SCHEMA = 'immutag-scan-report/v1';

function findingJson(finding: Finding): Record<string, unknown> {
  const p = finding.package;
  return {
    id: finding.id,
    aliases: finding.aliases,
    names: finding.names,
    severity: finding.severity,
    severitySource: finding.severitySource,
    score: finding.score,
    summary: finding.summary,
    url: finding.url,
    package: {
      type: p.type, name: p.name, version: p.version, ecosystem: p.ecosystem, sourceName: p.sourceName,
      sourceVersion: p.sourceVersion, path: p.path, layer: p.layer, purl: p.purl,
    },
    installed: finding.installed,
    fixed: finding.fixed,
    ignored: finding.ignored,
    failsPolicy: finding.failsPolicy ?? false,
  };
}

function platformJson(platform: PlatformScan): Record<string, unknown> {
  return {
    platform: platform.platform,
    manifestDigest: platform.manifestDigest,
    os: platform.os,
    packages: platform.packages.length,
    findings: platform.findings.map(findingJson),
    notes: platform.notes,
  };
}

export function jsonReport(ctx: ReportContext): Record<string, unknown> {
  return {
    schema: JSON_REPORT_SCHEMA,
    tool: { name: 'immutag', version: ctx.toolVersion },
    createdAt: (ctx.now ?? new Date()).toISOString(),
    image: { name: imageName(ctx.imageRef), reference: ctx.imageRef, digest: ctx.result.digest },
    engine: ctx.result.engine,
    policy: { failOn: ctx.policy.failOn, ignoreUnfixed: ctx.policy.ignoreUnfixed, ignoreFile: ctx.ignoreFile },
    verdict: ctx.verdict,
    counts: ctx.counts,
    platforms: ctx.result.platforms.map(platformJson),
    notes: ctx.notes ?? [],
  };
}

/** The report as written to disk: stable key order, two-space indent, trailing newline. */
export function renderJsonReport(ctx: ReportContext): string {
  return JSON.stringify(jsonReport(ctx), null, 2) + '\n';
}
