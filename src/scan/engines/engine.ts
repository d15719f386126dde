// The contract of the external engines (Trivy, Grype). An engine scans the local OCI layout
// or the registry by digest, never a tag: a tag can move between the check and the scan, and
// the scan must cover the digest the outputs name.
import { ImmutagError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { parseReference } from '../../reference.ts';
import type { Finding, OsInfo, Package, PackageType, PlatformScan, Severity } from '../model.ts';
import type { Descriptor } from '../../oci.ts';
import { parseScannerJson, runScanner, type OwnConfig } from './process.ts';
import { singleImageLayout } from './single-image-layout.ts';

/** A verified OCI layout directory holding the image (maybe among others), or repo@digest. */
export type EngineTarget =
  | { kind: 'layout'; dir: string }
  | { kind: 'registry'; reference: string };

/** One platform of the image to scan, as the index names it. */
export interface EnginePlatform {
  /** `linux/amd64`, or `unknown` for a single manifest without platform. */
  platform: string;
  manifestDigest: string;
  /** Its manifest's descriptor, and every digest it names (manifest, config, layers): a layout of it alone. */
  descriptor: Descriptor;
  digests: readonly string[];
}

/** An external scanner as the per-platform loop runs it. */
export interface EngineProgram {
  /** The program's name, for messages and the default executable (`trivy`). */
  name: string;
  installHint: string;
  args(target: EngineTarget, platform: string | undefined): string[];
  /** Its configuration, in place of any the user's home or system holds. */
  ownConfig?: OwnConfig;
  read(report: unknown): EngineScan;
}

/** Runs `program` once per platform (platformRun: a layout of that platform alone, or --platform on repo@digest). */
export async function scanEachPlatform(program: EngineProgram, options: EngineOptions): Promise<PlatformScan[]> {
  const scans: PlatformScan[] = [];
  const many = options.platforms.length > 1;
  for (const p of options.platforms) {
    const run = await platformRun(options.target, p, many);
    let stdout: string;
    try {
      stdout = await runScanner({
        name: program.name, bin: options.bin ?? program.name, args: program.args(run.target, run.platform),
        installHint: program.installHint, ...(options.env ? { env: options.env } : {}),
        ...(program.ownConfig ? { ownConfig: program.ownConfig } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), ...(options.logger ? { logger: options.logger } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } finally {
      await run.close();
    }
    scans.push({ platform: p.platform, manifestDigest: p.manifestDigest, ...program.read(parseScannerJson(program.name, stdout)) });
  }
  return scans;
}

/** What one engine run scans for `p`: a target, the engine's --platform value, and what to remove after. */
interface PlatformRun {
  target: EngineTarget;
  platform: string | undefined;
  close(): Promise<void>;
}

/**
 * The target of one platform's run. From a registry, `repo@<that platform's manifest>`:
 * the index's digest with --platform would let two manifests under one platform name
 * (Windows images per os.version, a duplicate entry) both resolve to the first, and the
 * second would never be scanned; --platform still goes with it when the index has
 * several, so a scanner that checks the image's platform against the one asked finds
 * them equal. From a local layout, a private layout whose index.json names that
 * platform's manifest alone: trivy's --input and grype's oci-dir: do not honour
 * --platform (trivy takes the index's first manifest; grype refuses an index), so a
 * layout naming the index would have every run scan the first platform, each under
 * another platform's name.
 */
async function platformRun(target: EngineTarget, p: EnginePlatform, many: boolean): Promise<PlatformRun> {
  if (target.kind === 'registry') {
    const repository = target.reference.slice(0, target.reference.lastIndexOf('@'));
    return { target: { kind: 'registry', reference: `${repository}@${p.manifestDigest}` }, platform: many ? p.platform : undefined, close: async () => {} };
  }
  const layout = await singleImageLayout(target.dir, p.descriptor, p.digests);
  return { target: { kind: 'layout', dir: layout.dir }, platform: undefined, close: layout.close };
}

/** `registry/repository@digest` for a reference that carries a digest; a tag alone is refused. */
export function pinnedReference(reference: string): string {
  const ref = parseReference(reference);
  if (!ref.digest) {
    throw new ImmutagError('INVALID_REFERENCE', `the scanner was asked to scan ${reference}, which names no digest`, {
      hint: 'External scanners run against repo@sha256:… (or the local image layout) so that they scan exactly the bytes the outputs name.',
    });
  }
  return `${ref.registry}/${ref.repository}@${ref.digest}`;
}

export interface EngineScan {
  os?: OsInfo;
  packages: Package[];
  findings: Finding[];
  notes: string[];
}

export interface EngineOptions {
  target: EngineTarget;
  platforms: EnginePlatform[];
  bin?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  logger?: Logger;
  /** The run's signal: a scanner still running when it aborts is killed (process.ts). */
  signal?: AbortSignal;
}

/** Reads Trivy's severity words (CRITICAL…UNKNOWN) and Grype's (Critical…Negligible). */
export function engineSeverity(label: string | undefined): Severity {
  switch ((label ?? '').toLowerCase()) {
    case 'critical': return 'critical';
    case 'high': return 'high';
    case 'medium': return 'medium';
    case 'low':
    case 'negligible': return 'low';
    default: return 'unknown';
  }
}

/** OSV's name for the ecosystem, where one exists; else the engine's own type name. */
export function ecosystemFor(type: PackageType, family: string | undefined, version: string | undefined, engineType: string): string {
  const [major = '', minor] = (version ?? '').split('.');
  if (type === 'npm') return 'npm';
  if (type === 'pypi') return 'PyPI';
  if (family === 'debian' && major) return `Debian:${major}`;
  if (family === 'ubuntu' && version) return `Ubuntu:${version}`;
  if (family === 'alpine' && major) return minor ? `Alpine:v${major}.${minor}` : `Alpine:v${major}`;
  return engineType || family || 'unknown';
}
