// The `go1.…` strings of a Go binary, by file offset, collected as the file streams past:
// a Go 1.13-1.17 binary's build info points at its toolchain version (runtime.buildVersion)
// only through addresses in read-only data, which the stream has passed by the time the
// build info arrives. Go's string data is not terminated, so up to WIDTH bytes are kept
// from each occurrence and the string header's length cuts the version out later.
const NEEDLE = Buffer.from('go1.');
const WIDTH = 48;
/** Real binaries hold a handful of `go1.` strings; this bounds a hostile one. */
const MAX_STRINGS = 4096;

export class VersionStrings {
  private readonly found = new Map<number, Buffer>();
  /** The previous chunk's last bytes, for an occurrence straddling two chunks. */
  private tail = Buffer.alloc(0);
  private tailAt = 0;
  active = true;

  /** Records the occurrences in `chunk`, which starts at file offset `start`. */
  write(chunk: Buffer, start: number): void {
    if (!this.active) return;
    if (this.tail.length > 0) {
      const seam = Buffer.concat([this.tail, chunk.subarray(0, WIDTH)]);
      for (let at = seam.indexOf(NEEDLE); at >= 0 && at < this.tail.length; at = seam.indexOf(NEEDLE, at + 1)) {
        this.record(this.tailAt + at, seam.subarray(at, at + WIDTH));
      }
    }
    for (let at = chunk.indexOf(NEEDLE); at >= 0; at = chunk.indexOf(NEEDLE, at + 1)) {
      // Occurrences too close to the chunk's end are taken from the seam with the next chunk.
      if (at + WIDTH > chunk.length) break;
      this.record(start + at, chunk.subarray(at, at + WIDTH));
    }
    const keep = Math.min(chunk.length, WIDTH - 1);
    this.tail = Buffer.from(chunk.subarray(chunk.length - keep));
    this.tailAt = start + chunk.length - keep;
  }

  /** The `length` bytes at `offset` when a `go1.` string starts there. */
  at(offset: number, length: number): string | undefined {
    const bytes = this.found.get(offset);
    if (!bytes || length <= 0 || length > bytes.length) return undefined;
    return bytes.toString('latin1', 0, length);
  }

  private record(offset: number, bytes: Buffer): void {
    if (this.found.has(offset)) return;
    if (this.found.size >= MAX_STRINGS) {
      this.active = false;
      return;
    }
    this.found.set(offset, Buffer.from(bytes));
  }
}
