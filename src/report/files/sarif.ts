// SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif).
// https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
//
// Code scanning needs a location for every result, but an image has no source line. Like
// Trivy's SARIF, a result points at the image repository path for OS packages and at the
// package's file inside the image for language packages, line 1, under the ROOTPATH base.
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../../scan/model.ts';
import { ratingForScore } from '../../scan/severity.ts';
import { repositoryPath, type ReportContext } from './context.ts';
import { link, text } from '../markdown.ts';

export const SARIF_SCHEMA = 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json';

// A number inside each band GitHub maps `security-severity` to (critical > 9.0, high 7.0–8.9,
// medium 4.0–6.9, low 0.1–3.9), for findings rated by a label rather than a score.
const REPRESENTATIVE_SCORE: Record<Exclude<Severity, 'unknown'>, number> = { critical: 9.5, high: 8.0, medium: 5.5, low: 2.0 };

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, unknown: 0 };

interface Occurrence {
  finding: Finding;
  platforms: string[];
  uri: string;
}

// `artifactLocation.uri` must be a URI reference (RFC 3986) and `helpUri` a URI: code
// scanning refuses the whole upload over one that is not (codeql-action#684, #1553), and
// every result is lost. A path inside an image may hold any character a tar path can.

/**
 * A path as a relative URI reference: each segment percent-encoded as encodeURIComponent
 * does, except the sub-delimiters and `@` a path segment may hold as they are (RFC 3986
 * `pchar`), so `@scope/name` stays readable. `:` is encoded in every segment: in the first
 * it would read as a scheme. A lone surrogate (encodeURIComponent throws on one) becomes U+FFFD.
 */
function pathUri(path: string): string {
  return path.split('/').map((segment) => encodeURIComponent(segment.toWellFormed())
    .replace(/%(40|24|26|2B|2C|3B|3D)/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))).join('/');
}

// RFC 3986: unreserved, reserved and pct-encoded, nothing else.
const URI_CHARACTERS = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*$/;

/**
 * The URL as it is when it is an absolute http(s) URL with only RFC 3986 characters, one
 * `#` at most, no credentials, and that the WHATWG parser accepts; else undefined. An
 * advisory URL comes from the scanner's JSON (grype `dataSource`, Trivy `PrimaryURL`).
 */
function checkedUri(value: string | undefined): string | undefined {
  if (value === undefined || !URI_CHARACTERS.test(value) || value.indexOf('#') !== value.lastIndexOf('#')) return undefined;
  if (!/^https?:\/\/[^/?#]/i.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '' || url.hostname === '') return undefined;
  return value;
}

function artifactUri(finding: Finding, imageRef: string | undefined): string {
  const type = finding.package.type;
  if (type === 'deb' || type === 'apk' || type === 'rpm') return pathUri(repositoryPath(imageRef));
  return pathUri(finding.package.path.replace(/^\/+/, '') || repositoryPath(imageRef));
}

/** One result per vulnerable package version, however many platforms it appears on. */
function occurrences(ctx: ReportContext): Occurrence[] {
  const byKey = new Map<string, Occurrence>();
  for (const platform of ctx.result.platforms) {
    for (const finding of platform.findings) {
      const uri = artifactUri(finding, ctx.imageRef);
      const key = [finding.id, finding.package.name, finding.package.version, uri].join('\u0000');
      const seen = byKey.get(key);
      if (!seen) {
        byKey.set(key, { finding, platforms: [platform.platform], uri });
        continue;
      }
      seen.platforms.push(platform.platform);
      // The result fails if it fails on any platform.
      if (finding.failsPolicy && !seen.finding.failsPolicy) seen.finding = finding;
    }
  }
  return [...byKey.values()];
}

function securitySeverity(severity: Severity, score: number | undefined): string | undefined {
  if (severity === 'unknown') return undefined;
  if (score !== undefined && ratingForScore(score) === severity) return score.toFixed(1);
  return REPRESENTATIVE_SCORE[severity].toFixed(1);
}

function level(finding: Finding): 'error' | 'warning' | 'note' {
  if (finding.failsPolicy) return 'error';
  if (finding.ignored) return 'note';
  return RANK[finding.severity] >= RANK.medium ? 'warning' : 'note';
}

function ruleFor(findings: Finding[]): Record<string, unknown> {
  const worst = findings.reduce((a, b) => (RANK[b.severity] > RANK[a.severity] ? b : a));
  const label = worst.severity.toUpperCase();
  // Outside text (an advisory's summary, a scanner's source and URL) rendered inert, as in the comment.
  const title = link(text(worst.id), worst.url);
  const aliases = worst.aliases.length > 0 ? worst.aliases.join(', ') : 'none';
  // A bundle standing alone (Finding.names) has no aliases; what it covers is said instead.
  const names = worst.names !== undefined && worst.names.length > 0 ? worst.names.join(', ') : undefined;
  const namesLine = names === undefined ? '' : `Names: ${names}\n`;
  const properties: Record<string, unknown> = { precision: 'very-high', tags: ['vulnerability', 'security', label] };
  const sev = securitySeverity(worst.severity, worst.score);
  if (sev !== undefined) properties['security-severity'] = sev;
  const rule: Record<string, unknown> = {
    id: worst.id,
    name: 'ContainerImageVulnerability',
    shortDescription: { text: worst.summary || worst.id },
    fullDescription: { text: worst.summary || `${worst.id} (${names === undefined ? `aliases: ${aliases}` : `names: ${names}`})` },
    defaultConfiguration: { level: RANK[worst.severity] >= RANK.medium ? 'warning' : 'note' },
    help: {
      text: `Vulnerability ${worst.id}\nSeverity: ${label} (${worst.severitySource ?? 'no source'})\nAliases: ${aliases}\n${namesLine}${worst.summary}`,
      markdown: `**Vulnerability ${title}**\n| Severity | Source | Aliases |\n| --- | --- | --- |\n|${label}|${text(worst.severitySource ?? '')}|${text(aliases)}|\n\n${names === undefined ? '' : `Names: ${text(names, 2000)}\n\n`}${text(worst.summary, 4000)}`,
    },
    properties,
  };
  const helpUri = checkedUri(worst.url);
  if (helpUri !== undefined) rule.helpUri = helpUri;
  return rule;
}

function resultFor(o: Occurrence, ruleIndex: number, ctx: ReportContext): Record<string, unknown> {
  const f = o.finding;
  const p = f.package;
  const text = [
    `Package: ${p.name}`, `Installed Version: ${f.installed}`, `Vulnerability ${f.id}${f.names?.length ? ` (names ${f.names.join(', ')})` : ''}`,
    `Severity: ${f.severity.toUpperCase()}`, `Fixed Version: ${f.fixed ?? 'none'}`,
    `Platforms: ${o.platforms.join(', ')}`, `Image: ${ctx.result.digest}`,
  ];
  if (f.ignored) text.push(`Ignored: ${f.ignored.reason}`);
  const fingerprint = createHash('sha256').update([f.id, p.name, p.version, o.uri].join('\u0000')).digest('hex');
  const result: Record<string, unknown> = {
    ruleId: f.id,
    ruleIndex,
    level: level(f),
    message: { text: text.join('\n') },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: o.uri, uriBaseId: 'ROOTPATH' },
        region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
      },
      message: { text: `${o.uri}: ${p.name}@${p.version}` },
    }],
    partialFingerprints: { 'immutagFinding/v1': fingerprint },
  };
  if (f.ignored) result.suppressions = [{ kind: 'external', status: 'accepted', justification: f.ignored.reason }];
  return result;
}

/** Findings by vulnerability id, in order of first appearance: one rule each. */
function byId(found: readonly Occurrence[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const o of found) {
    const group = groups.get(o.finding.id);
    if (group === undefined) groups.set(o.finding.id, [o.finding]);
    else group.push(o.finding);
  }
  return groups;
}

/**
 * Code scanning keeps 5,000 results of a run (and rejects a run of more than 25,000), in
 * an order its documentation says is by severity and its users report is the file's
 * (github/docs#38085). So the results are written in the order that matters: those that
 * fail the policy first, worst first, then the others, then those the ignore file
 * accepted; past 5,000 the rest are left out, and the run says how many.
 */
export const SARIF_RESULT_LIMIT = 5000;

function byImportance(a: Occurrence, b: Occurrence): number {
  const weight = (o: Occurrence) => (o.finding.failsPolicy ? 2 : o.finding.ignored ? 0 : 1);
  return weight(b) - weight(a) || RANK[b.finding.severity] - RANK[a.finding.severity];
}

export function sarifReport(ctx: ReportContext): Record<string, unknown> {
  const all = occurrences(ctx).sort(byImportance);
  const found = all.slice(0, SARIF_RESULT_LIMIT);
  // Grouped in one pass: filtering all results once per rule was quadratic (8,000
  // findings took 9 s).
  const groups = byId(found);
  const ruleIndex = new Map([...groups.keys()].map((id, i) => [id, i]));
  const driver: Record<string, unknown> = {
    name: 'immutag',
    fullName: 'immutag container image scan',
    rules: [...groups.values()].map(ruleFor),
  };
  if (ctx.toolVersion) driver.version = ctx.toolVersion;
  if (ctx.toolUri) driver.informationUri = ctx.toolUri;
  const run: Record<string, unknown> = {
    tool: { driver },
    results: found.map((o) => resultFor(o, ruleIndex.get(o.finding.id)!, ctx)),
    originalUriBaseIds: { ROOTPATH: { uri: 'file:///' } },
    columnKind: 'utf16CodeUnits',
    properties: { imageDigest: ctx.result.digest, imageRef: ctx.imageRef ?? '', engine: ctx.result.engine },
  };
  const left = all.length - found.length;
  if (left > 0) {
    run.invocations = [{
      executionSuccessful: true,
      toolExecutionNotifications: [{
        level: 'warning',
        message: { text: `${left} of ${all.length} results are not in this file: code scanning keeps ${SARIF_RESULT_LIMIT} per run. Every result that fails the policy comes first; the JSON report has them all.` },
      }],
    }];
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [run],
  };
}

export function renderSarif(ctx: ReportContext): string {
  return JSON.stringify(sarifReport(ctx), null, 2) + '\n';
}
