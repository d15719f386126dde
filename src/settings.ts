// Every input immutag takes, parsed and validated once into one typed object. The
// Action reads them from INPUT_* variables and the CLI from flags; both call
// readSettings with a getter, so the rules live in one place.
import { ImmutagError } from './errors.ts';
import { FAIL_ON_VALUES, type FailOn } from './scan/policy.ts';
import { parseTagPatterns } from './tag-pattern.ts';
import { readList } from './inputs/list.ts';
import { parseDuration } from './registry/deadline.ts';

export type ScanEngine = 'osv' | 'trivy' | 'grype' | 'none';
export type { FailOn } from './scan/policy.ts';
export type CommentMode = 'auto' | 'always' | 'never';

export interface Settings {
  /** Target image references, as given (parsed later by the reference grammar); may be empty. */
  tags: string[];
  /** Glob patterns of tag names that may move. */
  mutableTags: string[];
  username?: string;
  password?: string;
  /** host:port entries reachable over plain HTTP. */
  insecureRegistries: string[];
  /** Path to the built image (layout dir, OCI tar or docker save tar). */
  image?: string;
  push: boolean;
  /** Digest another step pushed; every tag must resolve to it. */
  digest?: string;
  /** With `image`: an immutable tag already holding an image of the same revision and source makes that image the one to deploy (src/job/promote.ts). */
  promoteSameRevision: boolean;
  scan: ScanEngine;
  failOn: FailOn;
  ignoreUnfixed: boolean;
  ignoreFile?: string;
  osvUrl: string;
  vulnDb?: string;
  /** Total decompressed bytes the built-in scanner reads before it stops (a decompression bomb). */
  maxScanBytes: number;
  report?: string;
  sarif?: string;
  sbom?: string;
  comment: CommentMode;
  commentKey?: string;
  githubToken?: string;
  /** Deploy files (paths or globs) to pin to the digest: the pushed one, or the registry's with no tags. */
  pin?: string[];
  /** Check the `pin` files instead of rewriting them. */
  pinCheck?: boolean;
  /** The whole run's deadline: past it, every open request is abandoned and its answer is unknown. */
  timeoutMs: number;
  /** The tag-write settle window (tag-write.ts): every job writing the same repository must use the same. */
  tagSettleMs: number;
}

export type InputGetter = (name: string) => string | undefined;

export function readSettings(get: InputGetter): Settings {
  const text = (name: string) => {
    const v = get(name)?.trim();
    return v ? v : undefined;
  };
  // Empty is valid: docker/metadata-action outputs no tags when none of its rules fit
  // the event (type=semver on a pull request); the run then has nothing to gate or push.
  const tags = readList(get('tags'));
  // Globs hold commas of their own ({a,b}.yaml).
  const pin = readList(get('pin'), { braces: true });
  const image = text('image');
  const digest = text('digest');
  if (image && digest) {
    throw new ImmutagError('INVALID_INPUT', '`image` and `digest` were both set', {
      hint: 'Use `image` when immutag pushes the built image, or `digest` when another step already pushed it - not both.',
    });
  }
  if (!image && !digest) refuseWithoutImage(get);
  if (digest && tags.length === 0) refuseFilesWithoutTags(get);
  refuseFilesWithoutScan(get);
  const pinCheck = bool(get, 'pin-check', false);
  if (pinCheck && pin.length === 0) {
    throw new ImmutagError('INVALID_INPUT', '`pin-check: true` was set, but `pin` names no files', {
      hint: 'Set `pin` to the deploy files to check (paths, directories or globs); if it comes from an expression, that expression came out empty.',
    });
  }
  if (digest && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
    throw new ImmutagError('INVALID_INPUT', `\`digest\` is not a sha256 digest: "${digest.slice(0, 80)}"`, {
      hint: 'Pass the digest output of docker/build-push-action, e.g. sha256: followed by 64 hex characters.',
    });
  }
  return {
    tags,
    mutableTags: parseTagPatterns(get('mutable-tags') ?? ''),
    username: text('username'),
    password: text('password'),
    insecureRegistries: readList(get('insecure-registries')),
    image,
    // Read (and a bad value refused) even where it means nothing: beside `digest`, another step pushed.
    push: bool(get, 'push', image !== undefined) && image !== undefined,
    digest,
    promoteSameRevision: bool(get, 'promote-same-revision', false),
    scan: oneOf(get, 'scan', ['osv', 'trivy', 'grype', 'none'] as const, 'osv'),
    failOn: oneOf(get, 'fail-on', FAIL_ON_VALUES, 'high'),
    ignoreUnfixed: bool(get, 'ignore-unfixed', false),
    ignoreFile: text('ignore-file'),
    osvUrl: text('osv-url') ?? 'https://api.osv.dev',
    vulnDb: text('vuln-db'),
    maxScanBytes: parseSize(text('max-scan-size') ?? '8GiB', 'max-scan-size'),
    report: text('report'),
    sarif: text('sarif'),
    sbom: text('sbom'),
    comment: oneOf(get, 'comment', ['auto', 'always', 'never'] as const, 'auto'),
    commentKey: text('comment-key'),
    githubToken: text('github-token'),
    pin,
    pinCheck,
    timeoutMs: parseDuration(text('timeout') ?? '30m', 'timeout'),
    tagSettleMs: seconds(text('tag-settle-seconds') ?? '5', 'tag-settle-seconds'),
  };
}

/**
 * Settings that only mean something for an image, given with neither `image` nor
 * `digest`: most often a workflow expression that came out empty (recipe 2's
 * `digest: ${{ steps.build.outputs.digest }}` with a misspelt id or a skipped build).
 * Read as a bare tag check they would pass without the push or the scan the workflow
 * asked for. The policy settings count (`fail-on` has no default in action.yml, so that
 * setting it shows here); `vuln-db` does not: it says where data is, not that a scan is wanted.
 */
function refuseWithoutImage(get: InputGetter): void {
  const asked = [
    ...(bool(get, 'push', false) ? ['`push: true`'] : []),
    ...['report', 'sarif', 'sbom'].filter((name) => get(name)?.trim()).map((name) => `\`${name}\``),
    ...policySettings(get),
  ];
  if (asked.length === 0) return;
  throw new ImmutagError('INVALID_INPUT', `${asked.join(', ')} ${asked.length === 1 ? 'was' : 'were'} set, but neither \`image\` nor \`digest\` was: nothing would be pushed or scanned`, {
    hint: 'Set `image` to the built image (or `digest` to the one another step pushed); if it comes from an expression, that expression came out empty.',
  });
}

/** The scan policy settings given; none with `scan: none`, which a check step says (a shared workflow may pass both). */
function policySettings(get: InputGetter): string[] {
  if (get('scan')?.trim().toLowerCase() === 'none') return [];
  return [
    ...(get('fail-on')?.trim() ? ['`fail-on`'] : []),
    ...(bool(get, 'ignore-unfixed', false) ? ['`ignore-unfixed`'] : []),
    ...(get('ignore-file')?.trim() ? ['`ignore-file`'] : []),
  ];
}

/**
 * With `digest`, the image is read from the repository the tags name: with no tags (an
 * expression that came out empty) nothing is scanned, and the files the scan writes would
 * be missing while the run passed with a notice.
 */
function refuseFilesWithoutTags(get: InputGetter): void {
  const files = ['report', 'sarif', 'sbom'].filter((name) => get(name)?.trim()).map((name) => `\`${name}\``);
  if (files.length === 0) return;
  throw new ImmutagError('INVALID_INPUT', `${files.join(', ')} ${files.length === 1 ? 'was' : 'were'} set with \`digest\` but no \`tags\`: the tags name the repository the image is read from, so nothing would be scanned or written`, {
    hint: 'Set `tags` to the tags the pushing step wrote (the same metadata-action output); if it comes from an expression, that expression came out empty.',
  });
}

/**
 * `report`, `sarif` and `sbom` are written by the scan: with `scan: none` they would be
 * missing without a word, and a later upload-sarif step or artifact would fail or be empty.
 */
function refuseFilesWithoutScan(get: InputGetter): void {
  if (get('scan')?.trim().toLowerCase() !== 'none') return;
  const files = ['report', 'sarif', 'sbom'].filter((name) => get(name)?.trim()).map((name) => `\`${name}\``);
  if (files.length === 0) return;
  throw new ImmutagError('INVALID_INPUT', `${files.join(', ')} ${files.length === 1 ? 'was' : 'were'} set with \`scan: none\`: the scan writes them, so nothing would be written`, {
    hint: 'Choose a scanner (`scan: osv`, the default), or drop the file settings.',
  });
}

/** A duration in seconds (decimals allowed), 0.1 to 600, as milliseconds. */
function seconds(value: string, name: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n < 0.1 || n > 600) {
    throw new ImmutagError('INVALID_INPUT', `\`${name}\` must be a number of seconds from 0.1 to 600, not "${value.slice(0, 40)}"`, {
      hint: `Set \`${name}\` to e.g. 5 (the default); every job that pushes the same repository must use the same value.`,
    });
  }
  return Math.round(n * 1000);
}

function bool(get: InputGetter, name: string, fallback: boolean): boolean {
  const v = get(name)?.trim().toLowerCase();
  if (!v) return fallback;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ImmutagError('INVALID_INPUT', `\`${name}\` must be true or false, not "${v.slice(0, 40)}"`, {
    hint: `Set \`${name}: true\` or \`${name}: false\`.`,
  });
}

function oneOf<T extends string>(get: InputGetter, name: string, allowed: readonly T[], fallback: T): T {
  const v = get(name)?.trim().toLowerCase();
  if (!v) return fallback;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new ImmutagError('INVALID_INPUT', `\`${name}\` must be one of ${allowed.join(', ')}, not "${v.slice(0, 40)}"`, {
    hint: `Set \`${name}\` to one of: ${allowed.join(', ')}.`,
  });
}

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
};

/** `8GiB`, `500MB`, `1073741824`: a byte count. */
export function parseSize(value: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  // Under one byte once counted (0.5, 0.0001KB) would stop every scan at its first byte.
  if (!m || unit === undefined || Math.floor(Number(m[1]) * unit) < 1) {
    throw new ImmutagError('INVALID_INPUT', `\`${name}\` must be a size such as 8GiB or 500MB, not "${value.slice(0, 40)}"`, {
      hint: `Set \`${name}\` to a number of bytes with an optional unit: B, KB, MB, GB, KiB, MiB, GiB.`,
    });
  }
  return Math.floor(Number(m[1]) * unit);
}

