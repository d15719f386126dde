// The content analysers' readers of one file as its bytes stream past (executables,
// archives read by name), fanned out from one sink. Shared by the walk's first pass and
// by the second pass that reads a hard link's target under the link's own name.
//
// A file a reader took for its own is also hashed to its end, in the algorithms a
// package manager records: a Go binary or jar dpkg/rpm/apk installed and a later layer
// replaced (`curl -Lo /usr/sbin/runc …`, COPY over it) is told apart from the one it
// installed only by its content (inventory.ts markOwned). A file every reader turned
// away at its first bytes (data, text, images: most of a layer) is never hashed.
import { createHash, type Hash } from 'node:crypto';
import type { EntrySink } from '../layers.ts';
import { type Analysis, type Analyzer, displayPath, type StreamReader } from './analyzer.ts';

/** A file's content digests (hex), in every algorithm a package manager records file content in (dpkg, apk, rpm's FILEDIGESTALGO). */
export interface ContentDigests {
  md5: string;
  sha1: string;
  sha256: string;
  /** Only for small metadata files: rpm records these only when built so (FILEDIGESTALGO 9-11), never by default. */
  sha224?: string;
  sha384?: string;
  sha512?: string;
}

/** What the readers made of one file. */
export interface ContentRead {
  /** The analyser that recognised the file, and what it read; both absent when none did. */
  analyzer?: Analyzer;
  analysis?: Analysis;
  /** Set when a reader took the file for its own and saw all of it. */
  digests?: ContentDigests;
}

interface OpenReader {
  analyzer: Analyzer;
  reader: StreamReader;
  open: boolean;
  failure: Error | undefined;
}

/**
 * Dpkg records md5, apk sha1 (or sha256), rpm sha256 since 4.6 (md5 before): the
 * three a large file is hashed in. Streaming hashes cost the same per byte as one-shot ones.
 */
const STREAMED_ALGORITHMS = ['md5', 'sha1', 'sha256'] as const;

class StreamingDigests {
  private readonly hashes = STREAMED_ALGORITHMS.map((algorithm) => createHash(algorithm));

  update(chunk: Buffer): void {
    for (const hash of this.hashes) hash.update(chunk);
  }

  digests(): ContentDigests {
    const [md5, sha1, sha256] = this.hashes.map((hash: Hash) => hash.digest('hex')) as [string, string, string];
    return { md5, sha1, sha256 };
  }
}

/** A sink for `path`'s bytes; undefined when no analyser reads such a file. `done` gets what was read. */
export function openContentReaders(
  analyzers: readonly Analyzer[], path: string, size: number, done: (read: ContentRead) => void,
): EntrySink | undefined {
  const readers = analyzers.flatMap((analyzer): OpenReader[] => {
    const reader = analyzer.stream?.(path, size);
    return reader ? [{ analyzer, reader, open: true, failure: undefined }] : [];
  });
  return readers.length === 0 ? undefined : new ContentReaders(path, readers, done);
}

class ContentReaders implements EntrySink {
  private readonly path: string;
  private readonly readers: OpenReader[];
  private readonly done: (read: ContentRead) => void;
  private first = true;
  private hashes: StreamingDigests | undefined;

  constructor(path: string, readers: OpenReader[], done: (read: ContentRead) => void) {
    this.path = path;
    this.readers = readers;
    this.done = done;
  }

  write(chunk: Buffer): boolean {
    let wanted = false;
    for (const r of this.readers) {
      if (!r.open) continue;
      guard(r, () => {
        r.open = r.reader.write(chunk);
        wanted = r.open || wanted;
      });
    }
    // Decided on the first bytes: a file some reader kept reading is one of theirs, hashed to its end.
    if (this.first && wanted) this.hashes = new StreamingDigests();
    this.first = false;
    this.hashes?.update(chunk);
    return wanted || this.hashes !== undefined;
  }

  end(): void {
    for (const r of this.readers) guard(r, () => r.reader.end());
    // A binary is of one kind: the first reader that recognised it (or broke on it) speaks for it.
    const found = this.readers.find((r) => r.failure !== undefined || r.reader.result() !== undefined);
    if (!found) {
      this.done({});
      return;
    }
    const analysis = found.failure
      ? { packages: [], notes: [`${displayPath(this.path)}: could not be read (${found.failure.message}).`] }
      : found.reader.result();
    const read: ContentRead = { analyzer: found.analyzer };
    if (analysis) read.analysis = analysis;
    if (this.hashes) read.digests = this.hashes.digests();
    this.done(read);
  }
}

/** Analysers promise not to throw; a reader that breaks the promise is closed and noted. */
function guard(r: OpenReader, step: () => void): void {
  try {
    step();
  } catch (err) {
    r.open = false;
    r.failure ??= err as Error;
  }
}
