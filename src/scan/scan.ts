// The scan, from verified image bytes to a verdict:
//  1. find the platform manifests (platforms.ts): every platform of an index, no attestations;
//  2. engine `osv`: inventory each platform (inventory.ts), match all packages in one
//     matchPackages call (identical queries are asked once), turn each platform's matches
//     into findings (findings.ts); engines `trivy`/`grype`: run them per platform against
//     the layout or repo@digest (engines/);
//  3. apply the ignore file (by ID or alias), then the policy to all platforms together.
// A scanner that cannot run throws (SCANNER_FAILED, LIMIT_EXCEEDED…), and so does an
// inventory that found a package database it did not read; a policy failure is the
// `violation` verdict. The two are never confused, and nothing unread becomes a pass.
import { ImmutagError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { BlobSource, Descriptor } from '../oci.ts';
import { scanWithGrype } from './engines/grype.ts';
import { scanWithTrivy } from './engines/trivy.ts';
import type { EngineTarget } from './engines/engine.ts';
import { findingsFromMatches } from './findings.ts';
import { applyIgnoreList, readIgnoreFile } from './ignore-file.ts';
import { inventoryImage } from './inventory.ts';
import { refuseCompressedRawLayers } from './layers.ts';
import type { Unread } from './inventory/analyzer.ts';
import type { Package, PlatformScan, ScanResult, SeverityCounts } from './model.ts';
import { matchPackages } from './osv/match.ts';
import { scanTargets, type ScanTarget } from './platforms.ts';
import { applyPolicy, type PolicyOptions, type Verdict } from './policy.ts';
import type { ReportContext } from '../report/files/context.ts';
import { plural } from '../report/markdown.ts';

export type ScanEngine = ScanResult['engine'];

export interface ScanImageOptions {
  source: BlobSource;
  /** The manifest or index the outputs name; its digest is what the report says was scanned. */
  top: Descriptor;
  /** Verified manifest bytes by digest (the local image's or the registry's). */
  manifests: Map<string, Buffer>;
  engine: ScanEngine;
  policy: PolicyOptions;
  /** Path of the ignore file (immutag form or .trivyignore). */
  ignoreFile?: string;
  osvUrl?: string;
  vulnDb?: string;
  limits?: { maxFileBytes?: number; maxTotalBytes?: number };
  /** Where trivy/grype read the image: the OCI layout, or `repo@digest`. Required for those engines. */
  engineTarget?: EngineTarget;
  /** Environment for trivy/grype (PATH, cache dirs); default the process environment. */
  engineEnv?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** The image as the user named it, for reports. */
  imageRef?: string;
  /** Clock for ignore-file expiry. */
  now?: Date;
  /**
   * The run's: aborted at its time limit or when it is asked to stop. An external scanner
   * still running is killed and OSV requests end, with its reason as the error; blob reads
   * end with it through the registry client already.
   */
  signal?: AbortSignal;
}

export interface ScanOutcome {
  result: ScanResult;
  counts: SeverityCounts;
  verdict: Verdict;
  /** Whole-scan notes (expired ignore entries…); per-platform notes are in `result`. */
  notes: string[];
  /** Everything writeReports needs. */
  report: ReportContext;
}

async function scanBuiltIn(targets: ScanTarget[], options: ScanImageOptions): Promise<PlatformScan[]> {
  const owner = new Map<Package, number>();
  const scans: PlatformScan[] = [];
  for (const target of targets) {
    const inventory = await inventoryImage(options.source, target.manifest, {
      ...options.limits, ...(options.logger ? { logger: options.logger } : {}), inIndex: target.inIndex ?? false,
    });
    if (inventory.unread.length > 0) throw unreadError(target.platform, inventory.unread);
    for (const pkg of inventory.packages) owner.set(pkg, scans.length);
    const scan: PlatformScan = {
      platform: target.platform, manifestDigest: target.descriptor.digest, packages: inventory.packages, findings: [], notes: inventory.notes,
    };
    if (inventory.os) scan.os = inventory.os;
    scans.push(scan);
  }
  const all = scans.flatMap((s) => s.packages);
  const matched = await matchPackages(all, {
    ...(options.osvUrl ? { osvUrl: options.osvUrl } : {}), ...(options.vulnDb ? { vulnDb: options.vulnDb } : {}),
    ...(options.logger ? { logger: options.logger } : {}), ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    for (const [index, scan] of scans.entries()) {
      const mine = matched.matches.filter((m) => owner.get(m.package) === index);
      scan.findings = await findingsFromMatches(mine, (id) => matched.lookup(id));
    }
  } finally {
    await matched.close?.();
  }
  return scans;
}

/**
 * A package database found and not read leaves the inventory short of packages no one
 * can name, so no verdict can rest on it: too large is LIMIT_EXCEEDED (as the per-file
 * cap promises), anything else (a format not read, damaged) SCANNER_FAILED.
 */
function unreadError(platform: string, unread: Unread[]): ImmutagError {
  const where = platform === 'unknown' ? 'the image' : platform;
  const list = unread.length === 1 ? unread[0]!.reason : unread.map((u, i) => `(${i + 1}) ${u.reason}`).join(' ');
  const what = unread.length === 1 ? 'a package database' : `${unread.length} package databases`;
  return new ImmutagError(unread.every((u) => u.limit) ? 'LIMIT_EXCEEDED' : 'SCANNER_FAILED',
    `The scan of ${where} found ${what} it did not read: ${list}`, { hint: [...new Set(unread.map((u) => u.hint))].join(' ') });
}

async function scanExternal(targets: ScanTarget[], options: ScanImageOptions): Promise<PlatformScan[]> {
  if (!options.engineTarget) {
    throw new ImmutagError('INVALID_INPUT', `scan: ${options.engine} needs the image layout or repo@digest to scan`, {
      hint: 'This is a bug in immutag: the caller must pass engineTarget for trivy and grype.',
    });
  }
  const layers = new Map(targets.flatMap((t) => t.manifest.layers).map((l) => [l.digest, l]));
  await refuseCompressedRawLayers(options.source, [...layers.values()]);
  const engineOptions = {
    target: options.engineTarget,
    platforms: targets.map((t) => ({
      platform: t.platform, manifestDigest: t.descriptor.digest, descriptor: t.descriptor,
      digests: [t.descriptor.digest, t.manifest.config.digest, ...t.manifest.layers.map((l) => l.digest)],
    })),
    ...(options.engineEnv ? { env: options.engineEnv } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  return options.engine === 'trivy' ? scanWithTrivy(engineOptions) : scanWithGrype(engineOptions);
}

async function scanPlatforms(options: ScanImageOptions): Promise<PlatformScan[]> {
  if (options.engine === 'none') return [];
  const targets = await scanTargets(options.top, options.source, options.manifests);
  const named = targets.map((t) => t.platform).filter((p) => p !== 'unknown');
  options.logger?.info(`scanning ${options.top.digest} with ${options.engine}${named.length > 0 ? ` (${named.join(', ')})` : ''}`);
  return options.engine === 'osv' ? scanBuiltIn(targets, options) : scanExternal(targets, options);
}

/** Scans the image the options name and applies the ignore file and the policy. */
export async function scanImage(options: ScanImageOptions): Promise<ScanOutcome> {
  const ignoreList = options.ignoreFile ? await readIgnoreFile(options.ignoreFile) : undefined;
  let platforms = await scanPlatforms(options);
  const notes = new Set<string>();
  if (ignoreList) {
    platforms = platforms.map((platform) => {
      const outcome = applyIgnoreList(platform.findings, ignoreList, options.now);
      for (const note of outcome.notes) notes.add(note);
      return { ...platform, findings: outcome.findings };
    });
  }
  const outcome = applyPolicy(platforms, options.policy);
  for (const p of outcome.platforms) {
    // The platform comes from the image: never at the start of a line, where it could pass
    // for another line's beginning (a forged `immutag: PASS:` verdict on stderr).
    const where = p.platform === 'unknown' ? '' : `platform ${p.platform}: `;
    options.logger?.info(`${where}${plural(p.packages.length, 'package')}, ${plural(p.findings.length, 'finding')}`);
  }
  for (const note of notes) options.logger?.warning(note);
  const result: ScanResult = { engine: options.engine, digest: options.top.digest, platforms: outcome.platforms };
  const report: ReportContext = { result, counts: outcome.counts, verdict: outcome.verdict, policy: options.policy, notes: [...notes] };
  if (options.imageRef) report.imageRef = options.imageRef;
  if (options.ignoreFile) report.ignoreFile = options.ignoreFile;
  if (options.now) report.now = options.now;
  return { result, counts: outcome.counts, verdict: outcome.verdict, notes: [...notes], report };
}

export { reportWriteError, writeReports, type ReportPaths } from '../report/files/write.ts';
