// Step 4 of a run: scan the exact bytes the digest output names. In push and dry-run
// modes that is the verified local image; in verify mode it is repo@digest pulled from
// the registry (spooled and verified blob by blob), never a tag that could have moved.
import { ImmutagError } from '../errors.ts';
import type { LocalImage } from '../image/open-image.ts';
import type { TagInput } from '../inputs/tags.ts';
import type { Logger } from '../log.ts';
import { isDigest } from '../digest.ts';
import { isIndexType, type BlobSource, type Descriptor } from '../oci.ts';
import { CONFIG_FIELDS, MANIFEST_FIELDS, parseOciJson } from '../oci-json.ts';
import type { RegistryClient } from '../registry/client.ts';
import { RegistryBlobSource } from '../registry/registry-blob-source.ts';
import type { PlatformDigest, ScanReport } from '../report/run-report.ts';
import type { EngineTarget } from '../scan/engines/engine.ts';
import type { SeverityCounts } from '../scan/model.ts';
import { reportWriteError, scanImage, writeReports } from '../scan/scan.ts';
import type { Settings } from '../settings.ts';

export interface ScanStepOptions {
  settings: Settings;
  image?: LocalImage;
  refs: readonly TagInput[];
  client: RegistryClient;
  logger: Logger;
  /** The run's signal (its time limit, a stop): the scanner and the OSV API end with it. */
  signal?: AbortSignal;
}

export interface ScanStepResult {
  report: ScanReport;
  counts: SeverityCounts;
  verdict: 'pass' | 'violation';
  platforms: PlatformDigest[];
  /** The requested report files that could not be written: an error, but never one that hides a violation. */
  writeError?: ImmutagError;
}

interface ScanInput {
  source: BlobSource & { close?(): Promise<void> };
  top: Descriptor;
  manifests: Map<string, Buffer>;
  engineTarget?: EngineTarget;
}

export async function runScan(options: ScanStepOptions): Promise<ScanStepResult> {
  const { settings } = options;
  const first = options.refs[0];
  // Without tags (metadata-action's output on some events) the report names the file.
  const imageRef = first ? `${first.registry}/${first.repository}:${first.tag}` : settings.image ?? settings.digest ?? 'image';
  const input = options.image ? await localInput(options.image, settings) : await registryInput(options);
  try {
    return await scanAndReport(input, options, imageRef);
  } finally {
    // The registry source's spool directory; the local image is closed by the run.
    await input.source.close?.();
  }
}

async function scanAndReport(input: ScanInput, options: ScanStepOptions, imageRef: string): Promise<ScanStepResult> {
  const { settings, logger } = options;
  const outcome = await scanImage({
    ...input,
    engine: settings.scan,
    policy: { failOn: settings.failOn, ignoreUnfixed: settings.ignoreUnfixed },
    ...(settings.ignoreFile ? { ignoreFile: settings.ignoreFile } : {}),
    osvUrl: settings.osvUrl,
    ...(settings.vulnDb ? { vulnDb: settings.vulnDb } : {}),
    limits: { maxTotalBytes: settings.maxScanBytes },
    logger,
    imageRef,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  await namePlatforms(outcome.result.platforms, input);
  const { written: files, failures } = await writeReports({ report: settings.report, sarif: settings.sarif, sbom: settings.sbom }, outcome.report);
  const writeError = reportWriteError(failures);
  const platforms = outcome.result.platforms
    .filter((p) => p.platform !== 'unknown')
    .map((p) => ({ platform: p.platform, digest: p.manifestDigest }));
  return {
    report: { result: outcome.result, failOn: settings.failOn, ignoreUnfixed: settings.ignoreUnfixed, files },
    counts: outcome.counts,
    verdict: outcome.verdict,
    platforms: platforms.length > 1 ? platforms : [],
    ...(writeError ? { writeError } : {}),
  };
}

async function localInput(image: LocalImage, settings: Settings): Promise<ScanInput> {
  const input: ScanInput = { source: image.source, top: image.top, manifests: image.manifests };
  if (settings.scan === 'trivy' || settings.scan === 'grype') {
    if (image.kind !== 'oci-layout') {
      throw new ImmutagError('SCANNER_FAILED', `${settings.scan} can only scan the built image here as an OCI layout directory, and ${settings.image} is a ${image.kind}`, {
        hint: 'Build with `outputs: type=oci,dest=DIR,tar=false`, or use the built-in scanner (scan: osv).',
      });
    }
    // Each engine run gets a layout of one verified platform image (engine.ts platformRun).
    input.engineTarget = { kind: 'layout', dir: settings.image! };
  }
  return input;
}

/** Verify mode: the manifests by digest (verified), and a blob source over repo@digest. */
async function registryInput(options: ScanStepOptions): Promise<ScanInput> {
  const digest = options.settings.digest!;
  const first = options.refs[0]!;
  const at = { registry: first.registry, repository: first.repository };
  const fetched = await options.client.getManifest({ ...at, digest });
  const manifests = new Map<string, Buffer>([[digest, fetched.bytes]]);
  const top: Descriptor = { mediaType: fetched.mediaType, digest, size: fetched.bytes.length };
  if (isIndexType(fetched.mediaType)) {
    for (const child of fetched.children ?? []) {
      if (!isDigest(child.digest)) throw badChild(digest, child.digest);
      const got = await options.client.getManifest({ ...at, digest: child.digest });
      manifests.set(child.digest, got.bytes);
    }
  }
  return {
    source: new RegistryBlobSource({ transport: options.client.transport, ...at }),
    top,
    manifests,
    engineTarget: { kind: 'registry', reference: `${first.registry}/${first.repository}@${digest}` },
  };
}

function badChild(index: string, child: string): ImmutagError {
  return new ImmutagError('MANIFEST_INVALID', `the index ${index} lists ${JSON.stringify(child)}, which is not a digest`, {
    hint: 'The image index is malformed; push it again with a standard tool.',
  });
}

/**
 * A single manifest names no platform in a descriptor; its config does (`os`,
 * `architecture`, `variant`). Read through the verified source, so readers see
 * `linux/amd64` rather than `unknown`. Best effort: a config that cannot be read
 * leaves the name as it was, and the scan already read what it needed.
 */
async function namePlatforms(platforms: { platform: string; manifestDigest: string }[], input: ScanInput): Promise<void> {
  for (const p of platforms) {
    if (p.platform !== 'unknown') continue;
    try {
      const manifest = parseOciJson(input.manifests.get(p.manifestDigest)?.toString('utf8') ?? 'null', MANIFEST_FIELDS) as { config?: Descriptor } | null;
      if (manifest?.config === undefined) continue;
      const config = parseOciJson((await input.source.read(manifest.config)).toString('utf8'), CONFIG_FIELDS) as Record<string, unknown>;
      const { os, architecture, variant } = config;
      if (typeof os === 'string' && typeof architecture === 'string') {
        p.platform = [os, architecture, typeof variant === 'string' ? variant : ''].filter(Boolean).join('/');
      }
    } catch {
      // keep `unknown`
    }
  }
}
