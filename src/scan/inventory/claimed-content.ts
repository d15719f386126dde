// Whether a binary or archive a package database claims is still what its package
// installed. dpkg's .md5sums, apk's Z: lines and rpm's FILEDIGESTS record each file's
// content; `apt-get install runc` then `curl -Lo /usr/sbin/runc …` (a later layer, or
// the same RUN) leaves the path claimed by a file the package never shipped, whose Go
// modules must be asked of OSV, not left to Debian (inventory.ts markOwned).
//
// The cost model: the walk never hashes executables or archives as they stream past
// (content-readers.ts reads each only as far as a reader wants). Once every layer is
// walked, the files that matter are known: those a content reader found packages in
// AND a package database claims with a recorded digest. Usually there are none, and
// this costs nothing. Each that remains is read again from the layer that wrote it, at
// its position in that layer's tar (the member a hard link names, for a link), and
// hashed only in the algorithm its database recorded: one more pass over each such
// layer, never over a layer without one.
import { createHash, type Hash } from 'node:crypto';
import type { EntrySink, LayerEntry, LayerVisitor } from '../layers.ts';
import type { OwnedFiles } from './analyzer.ts';

/** The algorithms package managers record file content in (dpkg md5; apk sha1 or sha256; rpm's FILEDIGESTALGO). */
export type DigestAlgorithm = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

const ALGORITHMS: ReadonlySet<string> = new Set<DigestAlgorithm>(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']);

/** A file's content digests (hex): all of them for a small metadata file, the one its database recorded for a binary. */
export type ContentDigests = Partial<Record<DigestAlgorithm, string>>;

/** The tar member of a layer whose bytes a content reader read: the file itself, or the one a hard link names. */
export interface ContentMember {
  /** Position among the layer's entries (0 for the first), as the walk counts them. */
  index: number;
  path: string;
}

/** A path a distribution package's file list names, and the package. */
export interface Claim {
  list: OwnedFiles;
  name: string;
}

/** The file lists of every distribution package database in the image, asked path by path. */
export class Claims {
  private readonly owned: readonly OwnedFiles[];
  /** Records that speak for one package (dpkg's .md5sums), by package: where a file list without records of its own (dpkg's .list) finds them. */
  private readonly byPackage: Map<string, Map<string, string>>;

  constructor(owned: readonly OwnedFiles[]) {
    this.owned = owned;
    this.byPackage = new Map(owned.flatMap((list) => (list.installed && list.installedBy !== undefined ? [[list.installedBy, list.installed] as const] : [])));
  }

  /** The first list naming `path` (or `parent`, a metadata file's directory). */
  claim(path: string, parent?: string): Claim | undefined {
    for (const list of this.owned) {
      const name = list.files.get(path) ?? (parent === undefined ? undefined : list.files.get(parent));
      if (name !== undefined) return { list, name };
    }
    return undefined;
  }

  /** What the claiming package recorded at `path`, as `<algorithm>:<hex>`; undefined when it recorded nothing. */
  recorded(claim: Claim, path: string): string | undefined {
    return (claim.list.installed ?? this.byPackage.get(claim.name))?.get(path);
  }
}

/** The algorithm to hash in for a record (apk-tools 3 may cut a SHA-256 to 20 bytes: `sha256-160`). */
export function recordedAlgorithm(recorded: string): DigestAlgorithm | undefined {
  const [algorithm] = recorded.split(':');
  const full = algorithm === 'sha256-160' ? 'sha256' : algorithm;
  return full !== undefined && ALGORITHMS.has(full) ? full as DigestAlgorithm : undefined;
}

/** Whether `found` says the file is not what was recorded; a digest not known is never taken for a replacement. */
export function differs(recorded: string, found: ContentDigests | undefined): boolean {
  const [algorithm, hex] = recorded.split(':');
  if (found === undefined || algorithm === undefined) return false;
  const ours = algorithm === 'sha256-160' ? found.sha256?.slice(0, 40) : found[algorithm as DigestAlgorithm];
  return ours !== undefined && ours !== hex;
}

/** A member to hash, the algorithms its claims recorded, and the paths (a file and its hard links) whose digests it gives. */
export interface WantedMember {
  member: ContentMember;
  algorithms: Set<DigestAlgorithm>;
  shownAs: string[];
}

/**
 * The pass over one layer that hashes the members wanted, as they stream past; nothing
 * else is looked at or kept. Entries are counted as the walk counts them (both read the
 * same verified bytes with the same reader); a member whose name differs is not trusted.
 */
export class ClaimedContent implements LayerVisitor {
  private index = -1;
  private readonly wanted: ReadonlyMap<number, WantedMember>;
  private readonly found = new Map<string, ContentDigests>();

  constructor(wanted: ReadonlyMap<number, WantedMember>) {
    this.wanted = wanted;
  }

  entry(_entry: LayerEntry): boolean {
    this.index++;
    return false;
  }

  file(): void {
    // Never asked for: entry() buffers nothing.
  }

  oversized(): void {
    // Never asked for: entry() buffers nothing.
  }

  stream(entry: LayerEntry): EntrySink | undefined {
    const want = this.wanted.get(this.index);
    if (want === undefined || want.member.path !== entry.path) return undefined;
    const hashes = [...want.algorithms].map((algorithm) => [algorithm, createHash(algorithm)] as const);
    return {
      write: (chunk) => {
        for (const [, hash] of hashes) hash.update(chunk);
        return true;
      },
      end: () => this.record(want, hashes),
    };
  }

  /** The digests of each path the wanted members were read for. */
  digests(): ReadonlyMap<string, ContentDigests> {
    return this.found;
  }

  private record(want: WantedMember, hashes: ReadonlyArray<readonly [DigestAlgorithm, Hash]>): void {
    const digests: ContentDigests = {};
    for (const [algorithm, hash] of hashes) digests[algorithm] = hash.digest('hex');
    for (const path of want.shownAs) this.found.set(path, digests);
  }
}
