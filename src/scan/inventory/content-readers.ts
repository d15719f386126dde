// The content analysers' readers of one file as its bytes stream past (executables,
// archives read by name), fanned out from one sink. Shared by the walk's first pass and
// by the second pass that reads a hard link's target under the link's own name.
//
// Nothing is hashed here, and a file is read only as far as some reader wants it (a Go
// binary's build info, a jar's central directory): hashing every executable to its end
// cost a /usr/bin layer half as much time again, for the rare binary a package
// manager installed and something later replaced. Those few are hashed after the walk,
// by a pass over their own layer (claimed-content.ts), once a package database is known
// to claim them.
import type { EntrySink } from '../layers.ts';
import { type Analysis, type Analyzer, displayPath, type StreamReader } from './analyzer.ts';

/** What the readers made of one file. */
export interface ContentRead {
  /** The analyser that recognised the file, and what it read; both absent when none did. */
  analyzer?: Analyzer;
  analysis?: Analysis;
}

interface OpenReader {
  analyzer: Analyzer;
  reader: StreamReader;
  open: boolean;
  failure: Error | undefined;
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
    return wanted;
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
