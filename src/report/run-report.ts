// What a run did, as plain data: the single input of the comment, the job summary,
// the annotations and the final log line. The Action and the CLI fill it from the
// gate, push and scan results; the renderers never look anywhere else.
import { distinctRepositories } from '../registry/origin.ts';
import type { FailOn } from '../scan/policy.ts';
import type { ScanResult } from '../scan/model.ts';

export type RunResult = 'pass' | 'violation' | 'error';

/**
 * - `push`: immutag pushed the image from `image`.
 * - `dry-run`: `push: false`: checked and scanned, nothing written.
 * - `verify`: another step pushed; immutag checked the tags resolve to `digest`.
 * - `check`: the tag gate alone (no image, no digest).
 */
export type RunMode = 'push' | 'dry-run' | 'verify' | 'check';

/** What happened to one tag. */
export type TagState =
  /** The tag did not exist and now points at the digest. */
  | 'created'
  /** The tag already pointed at the digest; nothing was written. */
  | 'unchanged'
  /** A mutable tag now points at the digest; `existingDigest` is where it pointed before. */
  | 'moved'
  /** Dry run or gate only: the tag is free and would be created. */
  | 'would-create'
  /** Dry run or gate only: a mutable tag exists elsewhere and would move. */
  | 'would-move'
  /** Verify mode: the tag resolves to the expected digest. */
  | 'verified'
  /** An immutable tag points at another digest (`existingDigest`), or the registry refused the write (`reason`). */
  | 'refused'
  /** The registry could not tell whether the tag exists (`reason`): the gate fails closed. */
  | 'unknown'
  /** Not reached: the run stopped earlier (a policy failure, another tag refused). */
  | 'skipped';

export interface TagReport {
  /** The reference as the user wrote it in `tags`, e.g. `ghcr.io/acme/api:1.4.0`. */
  reference: string;
  /** Registry host and repository path, e.g. `ghcr.io/acme/api` (`docker.io/library/nginx`). */
  repository: string;
  tag: string;
  state: TagState;
  /** The tag matches a `mutable-tags` pattern. */
  mutable: boolean;
  /** Where the tag pointed before this run, when it existed. */
  existingDigest?: string;
  /** Why a tag was refused, unknown or skipped, in our words or the registry's. */
  reason?: string;
  /** Refused because another writer took the tag during this run's push (TAG_MOVED): a race, not a reused version. */
  takenDuringPush?: true;
  /**
   * Refused: this run's write landed (the run did write it), and the tag then named another
   * digest (`existingDigest`): another writer moved it, or the registry stored the manifest rewritten.
   */
  writtenThenTaken?: true;
  /** Its write may have landed, but no read after it could say (a run stopped or a registry failing): unknown, perhaps written. */
  mayBeWritten?: true;
  /**
   * Unknown: its write landed and the tag names this job's image, but later than the settle
   * window allows, so the run cannot vouch that no other job was told it owns the tag.
   */
  writtenLate?: true;
  /** A mutable tag this run wrote that another writer moved right after: the digest it names now (the last write wins). */
  overtakenBy?: string;
  /** Verify mode, refused: the digest given is of the wrong kind (the wrong output of the build), not a sign of another build. */
  givenDigestIs?: GivenDigest;
}

/**
 * What a digest given to verify is when the tag names another: one of the manifests the
 * index the tag names lists (`platform` as the index says; unknown/unknown is an
 * attestation), or a blob of the repository and not a manifest (most likely the config).
 */
export type GivenDigest = { kind: 'listed-manifest'; platform?: string } | { kind: 'blob' };

export interface PlatformDigest {
  /** `linux/amd64`, `linux/arm/v7`. */
  platform: string;
  /** The platform's image manifest digest. */
  digest: string;
}

export interface ImageReport {
  /** The digest to deploy: the index digest of a multi-platform image, else the manifest digest. */
  digest: string;
  mediaType?: string;
  /** One entry per platform of an index; empty for a single-platform image. */
  platforms: PlatformDigest[];
  /** The image was written to the registry by this run (push mode) or by the workflow (verify mode). */
  inRegistry: boolean;
  /** promote-same-revision: the image already published for this revision, deployed instead of the new build. */
  promoted?: { revision: string; source: string; heldBy: string };
}

export type { FailOn };

export interface ScanReport {
  /** Findings carry `failsPolicy` and `ignored` as set by the policy; the counts are derived from them. */
  result: ScanResult;
  failOn: FailOn;
  ignoreUnfixed: boolean;
  /** Files written for the run, named in the comment so readers know where the rest is. */
  files?: { report?: string; sarif?: string; sbom?: string };
}

/** An operational problem (the `error` result), or a warning worth showing to readers. */
export interface Problem {
  /** `notice`: worth saying, changes nothing (no tags were given). */
  level: 'error' | 'warning' | 'notice';
  /** An ImmutagError code, e.g. `REGISTRY_UNREACHABLE`. */
  code: string;
  message: string;
  hint?: string;
}

/** The workflow run the report describes. All optional fields are absent outside GitHub Actions. */
export interface RunInfo {
  /** `owner/repo` of the workflow. */
  repository?: string;
  /** `https://github.com`, or the GitHub Enterprise server. */
  serverUrl?: string;
  /** The commit that was built (`GITHUB_SHA`; for pull_request events, the test merge commit). */
  sha?: string;
  /** The pull request head commit, when `sha` is a merge commit. */
  headSha?: string;
  runUrl?: string;
  runNumber?: number;
  runAttempt?: number;
  workflow?: string;
  job?: string;
  event?: string;
}

export interface RunReport {
  result: RunResult;
  mode: RunMode;
  /** Absent in `check` mode, and when the run failed before the image was read. */
  image?: ImageReport;
  tags: TagReport[];
  /** Absent with `scan: none`, or when the run stopped before the scan. */
  scan?: ScanReport;
  /** Set with `scan: none` on an image that would have been scanned: said so wherever the scan is shown. */
  notScanned?: true;
  problems: Problem[];
  run: RunInfo;
}

/**
 * Distinct repositories of the tags, in the order the user listed them, each as first
 * spelt: `localhost:5000/app` and `LOCALHOST:5000/app` (or `host` and `host:443`) are one
 * repository, so `images` never names one image twice.
 */
export function repositoriesOf(report: Pick<RunReport, 'tags'>): string[] {
  return distinctRepositories(report.tags.map((t) => t.repository));
}

/** Tags that make the gate fail. */
export function failedTags(report: Pick<RunReport, 'tags'>): TagReport[] {
  return report.tags.filter((t) => t.state === 'refused' || t.state === 'unknown');
}
